import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fullFormats } from 'ajv-formats/dist/formats';
import OpenAPIResponseValidator from 'openapi-response-validator';
import type {
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { projectRoot } from '@app/common/project-root';

/**
 * Checks HTTP responses against the committed OpenAPI document (openapi.json): the operation that
 * answered must document the status, the content type must be one it documents, and a JSON body
 * must match the documented schema (through openapi-response-validator, with formats checked and
 * object schemas closed: a property the document does not name is drift too).
 *
 * Responses that no operation produced (unknown routes, router errors) must be problem+json.
 */

/** What the app serves outside the REST API (Swagger UI, the document, GraphQL: schema.graphql). */
const UNDOCUMENTED_BY_DESIGN = [/^\/openapi\.json$/, /^\/docs(\/|$)/, /^\/graphql$/];

export interface ObservedResponse {
  method: string;
  /** The URL as sent (path and query). */
  url: string;
  /** The Fastify route template that served it (`/v1/teams/:teamId`), or undefined: no route. */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  /** The parsed JSON body when the response is JSON, else the text. */
  body: unknown;
  text: string | undefined;
}

type Format = (typeof fullFormats)[keyof typeof fullFormats];

/** ajv-formats' definitions as plain predicates (openapi-response-validator's customFormats). */
function formatPredicate(format: Format): (value: string) => boolean {
  if (format instanceof RegExp) return (value) => format.test(value);
  if (typeof format === 'function') return (value) => format(value);
  if (typeof format === 'object' && format && 'validate' in format) {
    const validate = format.validate;
    if (validate instanceof RegExp) return (value) => validate.test(value);
    return (value) => (validate as (value: string) => boolean)(value);
  }
  return () => true;
}

const CUSTOM_FORMATS = Object.fromEntries(
  (['uuid', 'date-time', 'date', 'email', 'uri'] as const).map((name) => [
    name,
    formatPredicate(fullFormats[name]),
  ]),
);

/** Object schemas without an `additionalProperties` rule become closed. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]),
  ) as Record<string, unknown>;
  if (copy.properties && copy.additionalProperties === undefined && !copy.allOf) {
    copy.additionalProperties = false;
  }
  return copy;
}

/** The validator reports `response/items/0/id`; `.items[0].id` reads better. */
function describePath(path: string | undefined): string {
  const inner = (path ?? '').replace(/^response\/?/, '');
  return inner ? `.${inner.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}` : '';
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

function isJson(mediaType: string | undefined): boolean {
  return !!mediaType && /^application\/([a-z0-9.+-]+\+)?json$/.test(mediaType);
}

/** `/v1/teams/:teamId` -> `/v1/teams/{teamId}`, the OpenAPI spelling. */
export function openApiPath(fastifyUrl: string): string {
  return fastifyUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export class ResponseContract {
  private readonly components: OpenAPIObject['components'];
  private readonly validators = new Map<string, OpenAPIResponseValidator>();

  constructor(private readonly document: OpenAPIObject) {
    this.components = closeObjects(document.components ?? {}) as OpenAPIObject['components'];
  }

  static committed(): ResponseContract {
    const document = JSON.parse(
      readFileSync(join(projectRoot(), 'openapi.json'), 'utf8'),
    ) as OpenAPIObject;
    return new ResponseContract(document);
  }

  /** Every way the response departs from the document; empty when it keeps to it. */
  violations(response: ObservedResponse): string[] {
    const path = response.url.split('?')[0];
    const method = response.method.toLowerCase();
    if (response.route === undefined) return this.unrouted(response, path);

    const template = openApiPath(response.route);
    const pathItem = this.document.paths[template] as PathItemObject | undefined;
    const operation =
      (pathItem?.[method as 'get'] as OperationObject | undefined) ??
      (method === 'head' ? pathItem?.get : undefined);
    if (!operation) {
      if (UNDOCUMENTED_BY_DESIGN.some((pattern) => pattern.test(path))) return [];
      return [`no operation documents ${response.method} ${template}`];
    }
    const where = `${response.method} ${template} -> ${response.status}`;
    const status = String(response.status);
    const documented =
      operation.responses[status] ??
      operation.responses[`${status[0]}XX`] ??
      operation.responses.default;
    if (!documented) {
      return [
        `${where}: status ${status} is not documented (documented: ${Object.keys(
          operation.responses,
        ).join(', ')})`,
      ];
    }
    const responseObject = documented as ResponseObject;
    const mediaType = mediaTypeOf(response.contentType);
    const hasBody = method !== 'head' && (response.text ?? '').length > 0;
    if (!responseObject.content) {
      return hasBody
        ? [`${where}: documented without a body, but one was sent (${mediaType})`]
        : [];
    }
    if (method === 'head') return [];
    const documentedTypes = Object.keys(responseObject.content);
    if (!mediaType || !documentedTypes.includes(mediaType)) {
      return [
        `${where}: content type ${mediaType ?? '(none)'} is not documented (documented: ${documentedTypes.join(', ')})`,
      ];
    }
    const schema = responseObject.content[mediaType].schema;
    if (!schema) return [];
    if (!isJson(mediaType)) {
      // Text types arrive as text; image/* (an SVG) arrives as the bytes superagent buffered.
      return typeof response.text === 'string' || Buffer.isBuffer(response.body)
        ? []
        : [`${where}: no body`];
    }
    const errors = this.validator(template, method, status, mediaType, schema).validateResponse(
      status,
      response.body,
    );
    return errors
      ? errors.errors.map(
          (error: { path?: string; message: string }) =>
            `${where}: body${describePath(error.path)} ${error.message}`,
        )
      : [];
  }

  /** No route served it (404 for an unknown path, router errors): it must still be a problem. */
  private unrouted(response: ObservedResponse, path: string): string[] {
    if (response.status < 400) {
      if (UNDOCUMENTED_BY_DESIGN.some((pattern) => pattern.test(path))) return [];
      return [`${response.method} ${path} -> ${response.status} was served by no route`];
    }
    const where = `${response.method} ${path} (no route) -> ${response.status}`;
    const mediaType = mediaTypeOf(response.contentType);
    if (response.method.toUpperCase() === 'HEAD') return [];
    if (mediaType !== 'application/problem+json') {
      return [`${where}: content type ${mediaType ?? '(none)'} is not application/problem+json`];
    }
    // No operation promises more than a problem here (RFC 9457 requires no member): its status
    // must be the response's.
    const status = (response.body as { status?: unknown } | undefined)?.status;
    return status === response.status ? [] : [`${where}: body.status is ${String(status)}`];
  }

  private validator(
    template: string,
    method: string,
    status: string,
    mediaType: string,
    schema: SchemaObject | ReferenceObject,
  ): OpenAPIResponseValidator {
    const key = `${method} ${template} ${status} ${mediaType}`;
    let validator = this.validators.get(key);
    if (!validator) {
      // The library types the document with openapi-types; Nest's types describe the same JSON.
      validator = new OpenAPIResponseValidator({
        responses: { [status]: { schema: closeObjects(schema) } },
        components: this.components,
        customFormats: CUSTOM_FORMATS,
      } as ConstructorParameters<typeof OpenAPIResponseValidator>[0]);
      this.validators.set(key, validator);
    }
    return validator;
  }
}
