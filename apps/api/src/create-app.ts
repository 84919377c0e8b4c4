import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { INestApplication } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import {
  createValidationPipe,
  emptyTolerantJsonParser,
  logRequest,
  Metrics,
  ProblemDetailsFilter,
  rejectUnsafeInput,
  requestIdOf,
  requestLogFields,
  trustProxySetting,
} from '@app/common';
import { domainErrorOfDatabaseError } from '@app/database';
import { AppModule, AppModuleOptions } from './app.module';
import { ROOT_LOGGER } from './core.module';
import { completeOpenApiDocument } from './openapi-contract';

/**
 * Security headers for every response. The CSP allows what Swagger UI at /docs needs and no more:
 * its scripts and stylesheet come from this origin, it styles inline and draws data: images, and
 * it fetches /openapi.json from this origin. Nothing may frame any page of the API.
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
  frameguard: { action: 'deny' as const },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
  noSniff: true,
  referrerPolicy: { policy: 'no-referrer' as const },
};
import { AuthRepository } from './modules/auth/auth.repository';
import { membershipBackstop } from './modules/auth/membership-backstop';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MLOps maturity platform API')
    .setDescription(
      "Measure, with evidence, how mature each ML team's MLOps practice is, what it should do next, " +
        'and whether it is getting better. Errors are RFC 9457 application/problem+json.',
    )
    .setVersion('1')
    // Relative: the API is wherever this document is served from.
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'JWT access token or organization API key',
    })
    .build();
  // package.json says UNLICENSED: no licence is granted, and there is no licence text to link.
  config.info.license = { name: 'Proprietary (UNLICENSED): all rights reserved' };
  const document = SwaggerModule.createDocument(app, config);
  completeOpenApiDocument(app, document);
  return document;
}

/**
 * Builds the HTTP application exactly as production runs it; e2e tests call this too, so what
 * they test is what ships.
 */
export async function createApp(options: AppModuleOptions) {
  const problemDetails = new ProblemDetailsFilter(domainErrorOfDatabaseError);
  const adapter: FastifyAdapter = new FastifyAdapter({
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    // The router refuses a malformed URL (400) or an over-long path parameter (414) before any
    // route, hook or Nest filter runs: answer those with problem+json too. The adapter's own
    // handler, replaced here, ran its security hook first; keep doing that.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      try {
        (
          adapter as unknown as { securityHook?: (req: unknown, res: unknown) => void }
        ).securityHook?.(request, reply.raw);
      } catch {
        // The request is refused either way.
      }
      problemDetails.respond(error, request, reply);
    },
    genReqId: (request: IncomingMessage) => requestIdOf(request),
    // Whose X-Forwarded-For is believed (TRUST_PROXY; default nobody's): the client address feeds
    // the sign-in throttles and the audit trail, so a client must not be able to choose it.
    // Fastify takes a hop count too; the adapter's type leaves numbers out.
    trustProxy: trustProxySetting(options.config) as boolean | string | string[],
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    {
      bufferLogs: true,
      rawBody: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(problemDetails);
  // Replaces Nest's JSON parser (same body limit; rawBody is still kept): empty means no body.
  app.useBodyParser(
    'application/json',
    { bodyLimit: options.config.BODY_LIMIT_BYTES },
    emptyTolerantJsonParser(app.getHttpAdapter().getInstance()),
  );

  const metrics = app.get(Metrics);
  const fastify = app.getHttpAdapter().getInstance();
  // helmet's middleware, built once: @fastify/helmet builds it anew for every request, parsing
  // the CSP again each time (~9% of a /health/live request), for headers that never change.
  const securityHeaders = helmet(HELMET_OPTIONS);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  // Before any guard, interceptor or pipe walks the input: NUL, unpaired surrogates and absurd
  // nesting are refused with a 400 naming the field, on every route.
  fastify.addHook('preValidation', rejectUnsafeInput);
  const rootLogger = app.get<PinoLogger>(ROOT_LOGGER);
  // Reads prove membership in their tenant transaction; this answers for those that did not.
  fastify.addHook('onSend', membershipBackstop(app.get(AuthRepository)));
  // Callback hooks, not async ones: no promise per request on the hot path.
  fastify.addHook('onResponse', (request, reply, done) => {
    // One line per request: route template (never the raw URL), status, time, tenant and actor.
    logRequest(
      rootLogger,
      {
        id: request.id,
        method: request.method,
        url: request.url,
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        durationMs: reply.elapsedTime,
      },
      requestLogFields(request),
    );
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        // The route template, never the raw URL: ids in paths would explode the label set.
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return { app, document };
}
