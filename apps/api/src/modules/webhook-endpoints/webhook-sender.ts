import { Inject, Injectable } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { APP_CONFIG, AppConfig } from '@app/common';
import { ForbiddenAddressError, guardedLookup } from './address-guard';
import { AttemptResult, DELIVERY_TIMEOUT_MS } from './delivery-policy';

/**
 * One HTTP POST to a webhook endpoint through node:http(s): they take a `lookup`, which is where
 * the address guard runs (fetch cannot take one without another HTTP client). The whole exchange
 * is bounded by DELIVERY_TIMEOUT_MS; the response body is read and dropped.
 */
@Injectable()
export class WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  post(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const lookup = guardedLookup(this.config.WEBHOOK_ALLOW_PRIVATE === 'true');
    return new Promise<AttemptResult>((resolve) => {
      const outgoing = send(
        target,
        {
          method: 'POST',
          lookup,
          headers: { 'content-type': 'application/json', ...headers },
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve({
              kind: 'response',
              status: response.statusCode ?? 0,
              retryAfter: response.headers['retry-after'],
            }),
          );
          response.on('error', (error) => resolve({ kind: 'error', message: error.message }));
        },
      );
      outgoing.on('error', (error) =>
        resolve(
          error instanceof ForbiddenAddressError
            ? { kind: 'refused', message: error.message }
            : {
                kind: 'error',
                message: error.name === 'AbortError' ? 'timed out after 15 s' : error.message,
              },
        ),
      );
      outgoing.end(body);
    });
  }
}
