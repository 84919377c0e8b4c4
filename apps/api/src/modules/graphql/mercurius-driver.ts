import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import fastifyPlugin from 'fastify-plugin';

/**
 * Mercurius, registered when Fastify boots instead of during Nest's module init. The stock driver
 * awaits `register()` in onModuleInit, which makes Fastify build every route registered so far
 * before Nest installs its exception layer (Nest does that after the init hooks): those routes
 * then kept Fastify's default error handler, and errors thrown before a handler (invalid input,
 * malformed JSON) stopped being problem+json. Deferred, the routes are built with Nest's handler.
 */
export class DeferredMercuriusDriver extends MercuriusDriver {
  override start(options: MercuriusDriverConfig): Promise<void> {
    void this.instance.register(
      fastifyPlugin(async () => {
        await super.start(options);
      }),
    );
    return Promise.resolve();
  }
}
