import { Injectable } from '@nestjs/common';
import { Page, TenantScope, fetchPage } from '@app/common';
import { TenantTransactions } from '@app/database';
import { AuditRepository } from './audit.repository';
import { AuditEventDto, AuditQueryDto } from './dto/audit.dto';

@Injectable()
export class AuditService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditRepository,
  ) {}

  list(scope: TenantScope, query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      return fetchPage(
        query,
        ({ after, take }) => this.audit.list(tx, organizationId, query, after, take),
        ({ organizationId: _omit, ...event }) => event,
      );
    });
  }
}
