import type { INestApplication, Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { IS_PUBLIC, PROBLEM_DETAILS_SCHEMA, PROBLEM_JSON } from '@app/common';

/**
 * Completes the document Nest generates from the decorators so that it tells the truth about
 * everything the decorators do not say, from the same facts the request pipeline acts on:
 *
 * - every error an operation can answer, each with the one ProblemDetails body: 400 everywhere
 *   (any request can be malformed), 401 and 403 where the access guard runs (not on @Public() routes), 404 under
 *   /v1/organizations/{orgId} and wherever a path names a record, 413 and 415 where a body is
 *   read, 429 where a throttler guard runs, 500 everywhere; statuses a controller documents
 *   itself (409, 410, 412, 422, 503...) keep their description and get the body;
 * - `security: []` on public operations (`[{}, bearer]` on a public one that documents a bearer
 *   credential of its own, such as a metrics token), the bearer scheme on all others;
 * - nullable references (`allOf: [$ref]` + `nullable`), which OpenAPI 3.0 cannot express that
 *   way, rewritten as `anyOf: [$ref, null]`.
 */
export function completeOpenApiDocument(app: INestApplication, document: OpenAPIObject): void {
  const facts = routeFacts(app);
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ProblemDetails = structuredClone(PROBLEM_DETAILS_SCHEMA);
  const securityScheme = Object.keys(document.components.securitySchemes ?? {})[0];

  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (pathItem as PathItemObject)[method];
      if (!operation) continue;
      const route = facts.get(operation.operationId ?? '');
      if (!route) {
        throw new Error(
          `OpenAPI operation ${operation.operationId ?? `${method} ${path}`} matches no controller method.`,
        );
      }
      operation.security = !route.isPublic
        ? [{ [securityScheme]: [] }]
        : operation.security?.length
          ? // A public route that checks a credential of its own (@ApiBearerAuth on it): optional.
            [{}, ...operation.security.filter((requirement) => Object.keys(requirement).length)]
          : [];
      describeErrors(path, method, operation, route);
    }
  }
  nullableReferences(document.components.schemas);
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods whose body Fastify reads (and so may refuse: malformed, too large, wrong type). */
const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['post', 'put', 'patch', 'delete']);

interface RouteFacts {
  isPublic: boolean;
  throttled: boolean;
}

/** What the guards will do, by operation id (`<Controller>_<method>`, Nest's default). */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = new Reflector();
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const targets = [handler, controller];
        facts.set(`${controller.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
          throttled: targets.some((target) =>
            ((Reflect.getMetadata(GUARDS_METADATA, target) ?? []) as unknown[]).some(
              (guard) =>
                typeof guard === 'function' &&
                (guard === ThrottlerGuard || guard.prototype instanceof ThrottlerGuard),
            ),
          ),
        });
      }
    }
  }
  return facts;
}

const ORGANIZATION_PREFIX = '/v1/organizations/{orgId}';

function describeErrors(
  path: string,
  method: HttpMethod,
  operation: OperationObject,
  route: RouteFacts,
): void {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const readsBody = !!operation.requestBody || BODY_METHODS.has(method);
  const organizationScoped =
    path === ORGANIZATION_PREFIX || path.startsWith(`${ORGANIZATION_PREFIX}/`);
  const namesRecord = parameters.some((parameter) => parameter.in === 'path');
  const defaults: Record<number, string | undefined> = {
    // Any request can be malformed, not only one with declared parameters or a body: a query
    // string a route does not read can still be refused (control characters, for instance).
    400:
      'The request is not valid (malformed JSON, parameters or query string; a validation ' +
      'problem lists each field in `errors`).',
    401: route.isPublic ? undefined : 'No or invalid credentials.',
    403: route.isPublic
      ? undefined
      : organizationScoped
        ? 'The role or API key scope does not allow this.'
        : 'API keys work only on /v1/organizations/{orgId} routes.',
    404: organizationScoped
      ? 'Not found, or not in an organization of the caller.'
      : namesRecord
        ? 'Not found.'
        : undefined,
    413: readsBody ? 'The body is larger than the configured limit (BODY_LIMIT_BYTES).' : undefined,
    415: readsBody ? 'The body is not application/json.' : undefined,
    429: route.throttled ? 'Too many attempts; see Retry-After.' : undefined,
    500: 'Unexpected error; quote `errorId` when reporting it.',
  };
  const responses = operation.responses as Record<string, ResponseObject | ReferenceObject>;
  for (const [status, description] of Object.entries(defaults)) {
    if (description && !responses[status]) responses[status] = { description };
  }
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) < 400 || '$ref' in response) continue;
    response.content = {
      [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/ProblemDetails' } },
    };
    if (status === '429') {
      response.headers = {
        'Retry-After': {
          description: 'Seconds to wait before trying again.',
          schema: { type: 'integer', minimum: 1 },
        },
      };
    }
  }
  // Keys in status order: the document reads (and diffs) better.
  operation.responses = Object.fromEntries(
    Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** `{ allOf: [{ $ref }], nullable: true }` -> `{ anyOf: [{ $ref }, { nullable, enum: [null] }] }`. */
function nullableReferences(schemas: Record<string, SchemaObject | ReferenceObject>): void {
  const visit = (schema: unknown): void => {
    if (Array.isArray(schema)) return schema.forEach(visit);
    if (!schema || typeof schema !== 'object') return;
    const object = schema as SchemaObject;
    if (object.nullable && object.allOf?.length === 1 && '$ref' in object.allOf[0]) {
      object.anyOf = [object.allOf[0], { type: 'object', nullable: true, enum: [null] }];
      delete object.allOf;
      delete object.nullable;
      delete object.type;
    }
    Object.values(object).forEach(visit);
  };
  visit(schemas);
}
