import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { INestApplication } from '@nestjs/common';
import { createValidationPipe, Metrics, requestIdOf } from '@app/common';
import { PrismaService } from '@app/database';
import { AppModule, AppModuleOptions } from './app.module';
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
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'JWT access token or organization API key',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Builds the HTTP application exactly as production runs it; e2e tests call this too, so what
 * they test is what ships.
 */
export async function createApp(options: AppModuleOptions) {
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    genReqId: (request: IncomingMessage) => requestIdOf(request),
    // Behind a load balancer the client address comes from X-Forwarded-For.
    trustProxy: true,
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

  const metrics = app.get(Metrics);
  metrics.observePool(app.get(PrismaService).pool);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Reads prove membership in their tenant transaction; this answers for those that did not.
  fastify.addHook('onSend', membershipBackstop(app.get(AuthRepository)));
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        // The route template, never the raw URL: ids in paths would explode the label set.
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return { app, document };
}
