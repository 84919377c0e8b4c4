import { Injectable } from '@nestjs/common';
import { escapeLiteral } from 'pg';
import type { Prisma } from './generated/prisma/client';
import { sqlStateOf } from './prisma-errors';
import { PrismaService } from './prisma.service';
import { problems } from '@app/common/errors/domain-error';
import type { OrganizationRole } from '@app/common/auth/permissions';
import {
  recordProvenRole,
  type MembershipCheck,
  type OrganizationId,
  type TenantScope,
} from '@app/common/tenancy/tenant-scope';

export type TransactionClient = Prisma.TransactionClient;

export type { OrganizationId };

export interface TransactionOptions {
  /** The acting user, for policies that let a user see their own memberships across tenants. */
  userId?: string;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/** A value written into SQL text: escaped as a literal, or a fragment composed with `sql`. */
type SqlValue = string | number | boolean | Date | null | SqlFragment;

/** SQL text whose values are already escaped literals; build it with the `sql` tag only. */
export class SqlFragment {
  constructor(readonly text: string) {}
}

function literal(value: SqlValue): string {
  if (value instanceof SqlFragment) return value.text;
  if (value === null) return 'NULL';
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Not a finite number for SQL: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return escapeLiteral(value);
}

/**
 * A tagged template for the one-round-trip reads: every interpolated value becomes an escaped
 * SQL literal (pg's escapeLiteral; standard_conforming_strings is on in every supported
 * PostgreSQL), fragments built with `sql` are spliced as they are. These reads go over the simple
 * query protocol, which takes no bound parameters; nothing else may put text into them.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  let text = strings[0];
  values.forEach((value, index) => {
    text += literal(value) + strings[index + 1];
  });
  return new SqlFragment(text);
}

/** Joins fragments, e.g. conditions with ' AND '. */
export function joinSql(fragments: SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(fragments.map((fragment) => fragment.text).join(separator));
}

/** A read a repository writes for TenantTransactions.readOnce: its SQL and how a row maps. */
export interface TenantRead<Row> {
  sql: SqlFragment;
  map(row: Record<string, unknown>): Row;
}

/** SQLSTATEs app_enter_organization raises (see its migration). */
/**
 * How long a transaction may wait for a pooled connection, and run. Prisma's defaults (2 s, 5 s)
 * turned bursts into 500s: twenty writers of one assessment queue on its row lock while holding
 * connections, and the pool's other callers waited past 2 s. A wait that still runs out answers
 * 503 (prisma-errors), not 500.
 */
const TRANSACTION_MAX_WAIT_MS = 10_000;
const TRANSACTION_TIMEOUT_MS = 30_000;

const NOT_A_MEMBER = 'MM404';
const ROLE_NOT_ADMITTED = 'MM403';

/**
 * Runs one use case in one transaction, with the tenant's id in the transaction-local setting
 * `app.organization_id` that the row-level security policies read (and the acting user's id in
 * `app.user_id` when asked). Outside such a transaction the settings are empty and tenant tables
 * show no rows to the application role.
 *
 * The rule for membership (how the access guard and this class cooperate): when the scope
 * carries a MembershipCheck (a signed-in user on a route under /v1/organizations/{orgId}), the
 * transaction's FIRST statement is app_enter_organization(), which sets the tenant AND proves that
 * the user is a member with a role the route admits, in the same transaction as
 * the use case's work: not a member -> 404 (DomainError not_found), role not admitted -> 403. No
 * membership or role is cached anywhere: every transaction checks again, so a removal or a role
 * change takes effect on the very next request on every replica. It costs no extra round trip
 * (the statement replaces the plain set_config). Scopes without a check (API keys proven by the
 * guard, system jobs, a scope a use case builds itself such as a new organization's owner, or a
 * bare OrganizationId) get the plain set_config.
 *
 * Two ways to run the work:
 * - run(): a Prisma interactive transaction (BEGIN, the tenant statement, the work, COMMIT), for
 *   anything that writes or reads several times;
 * - readOnce(): one read in ONE round trip: the tenant statement and the repository's SELECT sent
 *   as one simple-protocol message through the pool Prisma's adapter owns, which PostgreSQL runs
 *   as one implicit transaction (so the transaction-local settings and the check hold for the
 *   SELECT, and an error in the check means the SELECT never runs). For hot list/get reads.
 */
@Injectable()
export class TenantTransactions {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(
    target: TenantScope | OrganizationId,
    work: (tx: TransactionClient) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const scope = typeof target === 'string' ? undefined : target;
    const organizationId = typeof target === 'string' ? target : target.organizationId;
    return this.transaction(organizationId, options, work, scope?.membership ? scope : undefined);
  }

  /**
   * One read of one tenant in one round trip (see the class comment). Resolves with the mapped
   * rows of `read`; rejects with 404/403 DomainErrors when the scope's membership check fails.
   */
  async readOnce<Row>(
    target: TenantScope | OrganizationId,
    read: TenantRead<Row>,
    options: Pick<TransactionOptions, 'userId'> = {},
  ): Promise<Row[]> {
    const [rows] = await this.once(target, [read.sql], options.userId);
    return rows.map((row) => read.map(row));
  }

  /**
   * Writes in ONE round trip: the tenant statement and `statements`, sent as one simple-protocol
   * message, which PostgreSQL runs as one implicit transaction: all of them commit, or an error
   * in any (a unique violation, say) rolls all of them back. For hot writes whose statements do
   * not need each other's results (the public webhook ingest). Resolves with each statement's
   * rows.
   */
  writeOnce(
    target: TenantScope | OrganizationId,
    statements: SqlFragment[],
  ): Promise<Record<string, unknown>[][]> {
    return this.once(target, statements);
  }

  /** The tenant statement (with the membership check, when the scope has one) and `statements`. */
  private async once(
    target: TenantScope | OrganizationId,
    statements: SqlFragment[],
    userId = '',
  ): Promise<Record<string, unknown>[][]> {
    const scope = typeof target === 'string' ? undefined : target;
    const organizationId = typeof target === 'string' ? target : target.organizationId;
    const check = scope?.membership;
    const enter = check
      ? sql`SELECT app_enter_organization(${organizationId}::uuid, ${check.userId}::uuid,
                                          ${check.allowedRoles.join(',')}, ${userId}) AS role`
      : sql`SELECT set_config('app.organization_id', ${organizationId}, true),
                   set_config('app.user_id', ${userId}, true)`;
    let results: { rows: Record<string, unknown>[] }[];
    try {
      // Several statements in one simple-protocol message: pg answers with one result each.
      results = (await this.prisma.pool.query(
        [enter, ...statements].map((statement) => statement.text).join(';\n'),
      )) as unknown as { rows: Record<string, unknown>[] }[];
    } catch (error) {
      throw scope ? membershipError(error, scope) : error;
    }
    if (scope && check) recordProvenRole(scope, results[0].rows[0].role as OrganizationRole);
    return results.slice(1).map((result) => result.rows);
  }

  /** Work of one user across the organizations they belong to (their memberships, "my orgs"). */
  runForUser<T>(userId: string, work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return this.transaction('', { userId }, work);
  }

  /** Global tables only (users, refresh tokens): no tenant row is visible inside. */
  runGlobal<T>(work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }

  private async transaction<T>(
    organizationId: string,
    options: TransactionOptions,
    work: (tx: TransactionClient) => Promise<T>,
    checked?: TenantScope,
  ): Promise<T> {
    const check: MembershipCheck | undefined = checked?.membership;
    try {
      return await this.prisma.$transaction(
        async (tx) => {
          if (checked && check) {
            const { userId, allowedRoles } = check;
            const rows = await tx.$queryRaw<{ role: OrganizationRole }[]>`
              SELECT app_enter_organization(${organizationId}::uuid, ${userId}::uuid,
                                            ${allowedRoles.join(',')}, ${options.userId ?? ''}) AS role`;
            recordProvenRole(checked, rows[0].role);
          } else {
            await tx.$executeRaw`SELECT set_config('app.organization_id', ${organizationId}, true),
                                        set_config('app.user_id', ${options.userId ?? ''}, true)`;
          }
          return work(tx);
        },
        {
          isolationLevel: options.isolationLevel,
          maxWait: TRANSACTION_MAX_WAIT_MS,
          timeout: TRANSACTION_TIMEOUT_MS,
        },
      );
    } catch (error) {
      throw checked ? membershipError(error, checked) : error;
    }
  }
}

function membershipError(error: unknown, scope: TenantScope): unknown {
  const state = sqlStateOf(error);
  if (state !== NOT_A_MEMBER && state !== ROLE_NOT_ADMITTED) return error;
  // The check ran and refused: that is the answer (the guard's backstop need not ask again).
  if (scope.membership) scope.membership.checked = true;
  if (state === NOT_A_MEMBER) return problems.notFound('Organization');
  return problems.forbidden(
    `The ${roleIn(error) ?? 'caller'} role may not do this (needs ${scope.membership?.permission}).`,
  );
}

/** The role app_enter_organization put in the error's DETAIL. */
function roleIn(error: unknown): string | undefined {
  const candidate = error as {
    detail?: unknown;
    meta?: { driverAdapterError?: { cause?: { detail?: unknown } } };
  };
  const detail = candidate?.detail ?? candidate?.meta?.driverAdapterError?.cause?.detail;
  return typeof detail === 'string' ? detail : undefined;
}
