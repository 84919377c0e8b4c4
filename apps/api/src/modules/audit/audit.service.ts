import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, pageLimit, toPage, TenantScope } from '@app/common';
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
    const limit = pageLimit(query);
    return this.transactions.run(scope, async (tx) => {
      const rows = await this.audit.list(
        tx,
        organizationId,
        query,
        decodeCursor(query.cursor),
        limit + 1,
      );
      return toPage(rows, limit, ({ organizationId: _omit, ...event }) => event);
    });
  }
}
