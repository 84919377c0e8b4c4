import { DatabaseError } from 'pg';
import { ArgumentsHost, BadRequestException, HttpException, Logger } from '@nestjs/common';
import { Prisma } from '@app/database/generated/prisma/client';
import {
  domainErrorOfDatabaseError,
  isDataException,
  sqlStateOf,
} from '@app/database/prisma-errors';
import { ProblemDetailsFilter } from './problem-details.filter';
import { problems } from '../errors/domain-error';
import { ProblemType } from './problem';

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

/** Runs the filter on one exception with a fake Fastify request/reply; returns what it sent. */
function filter(exception: unknown, url = '/v1/things/42?x=1', method = 'POST'): Sent {
  const sent: Sent = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: Record<string, unknown>) {
      sent.body = body;
      return reply;
    },
  };
  const request = { url, method, id: 'req-1' };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter(domainErrorOfDatabaseError).catch(exception, host);
  return sent;
}

const prismaError = (code: string, message: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: '7.10.0', meta });

describe('ProblemDetailsFilter', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('answers application/problem+json with instance and request id', () => {
    const sent = filter(problems.notFound('Team'));
    expect(sent.status).toBe(404);
    expect(sent.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(sent.body).toEqual({
      type: ProblemType.notFound,
      title: 'Not found',
      status: 404,
      detail: 'Team was not found.',
      instance: '/v1/things/42?x=1',
      requestId: 'req-1',
    });
  });

  it('keeps the details of a domain error (validation errors list each field)', () => {
    const sent = filter(
      problems.validation([{ field: 'email', reasons: ['email must be an email'] }]),
    );
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({
      type: ProblemType.validation,
      title: 'Validation failed',
      errors: [{ field: 'email', reasons: ['email must be an email'] }],
    });
  });

  it("maps Nest's HttpExceptions by status and rewrites Nest's unknown-route text", () => {
    expect(filter(new BadRequestException(['a must be a string', 'b is bad'])).body).toMatchObject({
      type: ProblemType.badRequest,
      status: 400,
      detail: 'a must be a string; b is bad',
    });
    const notFound = filter(new HttpException('Cannot GET /v1/nope', 404), '/v1/nope?q=1', 'GET');
    expect(notFound.body).toMatchObject({
      type: ProblemType.notFound,
      detail: 'No route matches GET /v1/nope.',
    });
    expect(filter(new HttpException('slow down', 429)).body).toMatchObject({
      type: ProblemType.tooManyRequests,
      title: 'Too many requests',
    });
  });

  it.each([
    ['P2002', 409, ProblemType.conflict, 'Unique constraint failed on the fields: (`slug`)'],
    [
      'P2025',
      404,
      ProblemType.notFound,
      'An operation failed because it depends on one or more records that were required but not found. No record was found for an update.',
    ],
    [
      'P2001',
      404,
      ProblemType.notFound,
      'The record searched for in the where condition (`Team.id = 1`) does not exist',
    ],
    [
      'P2003',
      409,
      ProblemType.conflict,
      'Foreign key constraint violated on the constraint: `teams_organization_id_fkey`',
    ],
    [
      'P2028',
      503,
      ProblemType.unavailable,
      'Transaction API error: Unable to start a transaction in the given time (Team where condition).',
    ],
  ])('maps Prisma %s to %i without leaking Prisma text', (code, status, type, message) => {
    const sent = filter(prismaError(code, message, { target: ['slug'], modelName: 'Team' }));
    expect(sent.status).toBe(status);
    expect(sent.body).toMatchObject({ type, status });
    const text = JSON.stringify(sent.body);
    for (const leak of ['constraint', 'slug', 'Team.id', 'fkey', 'Prisma', 'where condition']) {
      expect(text).not.toContain(leak);
    }
    expect(logged).not.toHaveBeenCalled();
  });

  /** What Prisma 7 throws when the pg driver adapter reports a PostgreSQL error it has no code for. */
  const driverAdapterError = (originalCode: string, originalMessage: string) =>
    Object.assign(new Error(originalMessage), {
      name: 'DriverAdapterError',
      cause: { kind: 'postgres', originalCode, originalMessage },
    });

  it.each([
    ['P2039', '22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['P2010', '22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['P2039', '22P05', 'unsupported Unicode escape sequence'],
    ['P2039', '22008', 'date/time field value out of range: "-200000-01-01"'],
    ['P2007', '22P02', 'invalid input syntax for type uuid: "x"'],
    ['P2020', '22003', 'value "99999999999" is out of range for type integer'],
    ['P2000', '22001', 'value too long for type character varying(200)'],
  ])(
    'maps Prisma %s with SQLSTATE %s (a data exception) to a 400 without SQL text',
    (code, sqlState, message) => {
      const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const sent = filter(
        prismaError(code, `Database error. Code: \`${sqlState}\`. Message: \`${message}\``, {
          driverAdapterError: driverAdapterError(sqlState, message),
        }),
      );
      warned.mockRestore();
      expect(sent.status).toBe(400);
      expect(sent.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(sent.body).toMatchObject({ type: ProblemType.badRequest, status: 400 });
      const text = JSON.stringify(sent.body);
      for (const leak of [sqlState, message, 'UTF8', 'Database error', 'Code']) {
        expect(text).not.toContain(leak);
      }
      expect(logged).not.toHaveBeenCalled();
    },
  );

  it('maps a bare driver adapter data exception and a pg DatabaseError (class 22) to 400', () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(filter(driverAdapterError('22021', 'invalid byte sequence')).status).toBe(400);
    // As the pg driver builds it (its `name` is 'error', not the class name).
    const pgError = Object.assign(new DatabaseError('invalid byte sequence', 0, 'error'), {
      code: '22021',
    });
    expect(filter(pgError).status).toBe(400);
    warned.mockRestore();
    expect(sqlStateOf(pgError)).toBe('22021');
  });

  it('maps a PrismaClientValidationError to 400 without its text', () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = new Prisma.PrismaClientValidationError(
      'Invalid `prisma.team.create()` invocation: Argument `name` must not be null.',
      { clientVersion: '7.10.0' },
    );
    const sent = filter(error);
    warned.mockRestore();
    expect(sent.status).toBe(400);
    expect(JSON.stringify(sent.body)).not.toContain('prisma');
    expect(JSON.stringify(sent.body)).not.toContain('Argument');
  });

  it.each([
    ['a deadlock (40P01)', 'P2034', '40P01'],
    ['a constraint violation not mapped (23514 check)', 'P2039', '23514'],
    ['an undefined column (42703)', 'P2022', '42703'],
  ])('keeps %s a 500: not the client input', (_label, code, sqlState) => {
    const sent = filter(
      prismaError(code, 'Database error', {
        driverAdapterError: driverAdapterError(sqlState, 'x'),
      }),
    );
    expect(sent.status).toBe(500);
    expect(isDataException(prismaError(code, 'x', {}))).toBe(false);
  });

  it('answers an unmapped Prisma error as an unexpected 500', () => {
    const sent = filter(prismaError('P2034', 'Transaction failed due to a write conflict'));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('write conflict');
  });

  it("maps Fastify's own client errors (status code on the error) by status", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(filter(tooLarge).body).toMatchObject({
      type: ProblemType.payloadTooLarge,
      status: 413,
      detail: 'Request body is too large',
    });
    const mediaType = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });
    expect(filter(mediaType).body).toMatchObject({ type: ProblemType.unsupportedMediaType });
  });

  it('turns an unknown error into a 500 with an error id that is also logged', () => {
    const error = new Error('database password is hunter2');
    const sent = filter(error);
    expect(sent.status).toBe(500);
    const errorId = sent.body?.errorId as string;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.body).toMatchObject({
      type: ProblemType.internal,
      title: 'Internal server error',
      status: 500,
      requestId: 'req-1',
    });
    expect(sent.body?.detail).toContain(errorId);
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledTimes(1);
    const [fields, message] = logged.mock.calls[0] as [Record<string, unknown>, string];
    expect(fields).toMatchObject({ err: error, errorId, requestId: 'req-1' });
    expect(message).toContain(errorId);
  });

  it('treats a 5xx HttpException as unexpected too (logged, with an error id)', () => {
    const sent = filter(new HttpException('upstream broke: secret detail', 502));
    expect(sent.status).toBe(502);
    expect(sent.body?.errorId).toBeDefined();
    expect(JSON.stringify(sent.body)).not.toContain('secret detail');
    expect(logged).toHaveBeenCalledTimes(1);
  });
});

describe('ProblemDetailsFilter outside HTTP', () => {
  it('leaves a GraphQL resolver error to the GraphQL layer (returns nothing, sends nothing)', () => {
    const host = {
      getType: () => 'graphql',
      switchToHttp: () => {
        throw new Error('no HTTP response in a resolver');
      },
    } as unknown as ArgumentsHost;
    expect(new ProblemDetailsFilter().catch(problems.notFound('Team'), host)).toBeUndefined();
  });
});
