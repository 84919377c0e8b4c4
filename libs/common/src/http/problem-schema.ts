import type { SchemaObject } from '@nestjs/swagger';
import { ProblemType } from './problem';

export const PROBLEM_JSON = 'application/problem+json';

/** One readiness check of /health/ready, in its 200 answer and in its 503 problem. */
export const READINESS_CHECK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['name', 'status'],
  properties: {
    name: { type: 'string' },
    status: { type: 'string', enum: ['up', 'down'] },
  },
};

/**
 * The OpenAPI schema of every error body (RFC 9457), as ProblemDetailsFilter writes it. The
 * extension members services add are listed here too: a problem that carries one that is not
 * listed is drift, and the e2e suite's contract check fails on it.
 */
export const PROBLEM_DETAILS_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'RFC 9457 problem details. Clients may switch on `type`; `errors` lists each invalid field ' +
    'of a validation problem.',
  required: ['type', 'title', 'status', 'instance', 'requestId'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      enum: Object.values(ProblemType),
      example: ProblemType.validation,
    },
    title: { type: 'string', example: 'Validation failed' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
    detail: { type: 'string', example: 'The request is not valid.' },
    instance: {
      type: 'string',
      description: 'The request target (path and query) this problem is about.',
      example: '/v1/organizations',
    },
    requestId: {
      type: 'string',
      description: 'Also the X-Request-Id header; quote it when reporting a problem.',
    },
    errorId: {
      type: 'string',
      format: 'uuid',
      description: 'On unexpected errors (5xx): the id of the log entry with the details.',
    },
    errors: {
      type: 'array',
      description: 'Validation problems: each invalid field and why.',
      items: {
        type: 'object',
        required: ['field', 'reasons'],
        properties: {
          field: { type: 'string', example: 'slug' },
          reasons: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    problems: {
      type: 'array',
      description: 'Why an edited maturity model is not valid (422).',
      items: { type: 'string' },
    },
    unknownCriterionKeys: {
      type: 'array',
      description: 'Answers naming criteria the model version does not have (422).',
      items: { type: 'string' },
    },
    duplicateCriterionKeys: {
      type: 'array',
      description: 'Criteria answered more than once in one request (422).',
      items: { type: 'string' },
    },
    draftVersion: {
      type: 'integer',
      description: 'The draft that exists already (409 on starting a draft).',
    },
    checks: {
      type: 'array',
      description: 'Readiness checks (503 from /health/ready).',
      items: READINESS_CHECK_SCHEMA,
    },
  },
};
