import { Client } from 'pg';
import { APPLICATION_ROLE } from '@app/database/database-roles';

/**
 * Statements the application's pool sends while `work` runs. Every pooled connection is a pg
 * Client of the application role, so counting its query() calls counts round trips, BEGIN and
 * COMMIT included; the job queue's own connections (the owner role) are not the request's.
 */
export async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
    this: Client,
    ...args: unknown[]
  ) {
    if ((this as Client & { user?: string }).user !== APPLICATION_ROLE) {
      return (original as (...all: unknown[]) => unknown).apply(this, args);
    }
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
    sent.push((text ?? '').replace(/\s+/g, ' ').slice(0, 80));
    return (original as (...all: unknown[]) => unknown).apply(this, args);
  } as never);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}
