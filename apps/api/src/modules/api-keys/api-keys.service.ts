import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  hashSecret,
  Page,
  problems,
  randomSecret,
  TimeRangePageQueryDto,
  TenantScope,
  requireActingUser,
  fetchPage,
} from '@app/common';
import { TenantTransactions } from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import { API_KEY_PREFIX } from '../auth/access.guard';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { ApiKeysRepository } from './api-keys.repository';

/** Enough to tell keys apart in a list: the recognisable `mmk_` and the start of the key id. */
const SHOWN_PREFIX_LENGTH = 12;

/**
 * The key in the format the access guard parses: `mmk_<key id as 32 hex>_<secret>`. The id lets
 * the guard find the row in one indexed lookup; the 256-bit secret is what authenticates.
 */
function issueKey(keyId: string): string {
  return `${API_KEY_PREFIX}${keyId.replace(/-/g, '')}_${randomSecret()}`;
}

/** Organization API keys for machines (CI jobs, scripts), acting only within their scopes. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly apiKeys: ApiKeysRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** The key is in this answer only; the database keeps its SHA-256, as for every secret. */
  create(scope: TenantScope, input: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { organizationId } = scope;
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt <= new Date()) {
      throw problems.validation([
        { field: 'expiresAt', reasons: ['expiresAt must be in the future'] },
      ]);
    }
    const id = randomUUID();
    const key = issueKey(id);
    return this.transactions.run(scope, async (tx) => {
      const created = await this.apiKeys.create(tx, organizationId, {
        id,
        name: input.name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        secretHash: hashSecret(key),
        scopes: input.scopes,
        createdById: requireActingUser(scope),
        expiresAt,
      });
      await this.audit.record(tx, scope, {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: id,
        changes: { name: input.name, scopes: input.scopes, expiresAt },
      });
      return { ...created, key };
    });
  }

  list(scope: TenantScope, query: TimeRangePageQueryDto): Promise<Page<ApiKeyDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      return fetchPage(
        query,
        ({ after, take }) => this.apiKeys.listActive(tx, organizationId, query, after, take),
        (row) => row,
      );
    });
  }

  /** Revoked keys answer 401 from the next request on; the row stays for the audit trail. */
  revoke(scope: TenantScope, keyId: string): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      if (!(await this.apiKeys.revoke(tx, organizationId, keyId))) {
        throw problems.notFound('API key');
      }
      await this.audit.record(tx, scope, {
        action: 'api_key.revoked',
        entityType: 'api_key',
        entityId: keyId,
      });
    });
  }
}
