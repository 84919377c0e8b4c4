import { Injectable } from '@nestjs/common';
import {
  actingUserId,
  DomainError,
  fetchPage,
  hashSecret,
  issueTenantToken,
  organizationOfTenantToken,
  Page,
  problems,
  systemScope,
  TenantScope,
} from '@app/common';
import { TenantTransactions } from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import { ReportsService, TrendSelection } from '../reports/reports.service';
import {
  CreatedReportLinkDto,
  CreateReportLinkDto,
  ReportLinkDto,
  ReportLinkListQueryDto,
  TrendLinkParametersDto,
} from './dto/report-link.dto';
import { ReportLinksRepository } from './report-links.repository';

export const REPORT_LINK_TOKEN_PREFIX = 'mmr_';
export const SHARED_REPORTS_PATH = '/v1/shared-reports';
const MAX_LIFETIME_MS = 366 * 86_400_000;

type LinkRow = Awaited<ReturnType<ReportLinksRepository['list']>>[number];

function present(row: LinkRow): ReportLinkDto {
  return { ...row, parameters: row.parameters as TrendLinkParametersDto };
}

/** The stored parameters as the trends selection (lists as the query's comma-separated form). */
function selectionOf(parameters: TrendLinkParametersDto): TrendSelection {
  return {
    teamIds: parameters.teamIds?.join(','),
    dimensions: parameters.dimensions?.join(','),
    from: parameters.from,
    to: parameters.to,
    interval: parameters.interval,
  };
}

/**
 * Share links of reports: an unguessable token (`mmr_<organization id>.<secret>`, stored as its
 * SHA-256 only) opens the named report with the stored parameters, with no login, until it
 * expires or is revoked. A token that is malformed, unknown, expired, revoked or of a deleted
 * organization answers 404 alike, so a token tells nothing to someone who guesses.
 */
@Injectable()
export class ReportLinksService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly links: ReportLinksRepository,
    private readonly reports: ReportsService,
    private readonly audit: AuditTrail,
  ) {}

  async create(
    scope: TenantScope,
    input: CreateReportLinkDto,
    origin: string,
  ): Promise<CreatedReportLinkDto> {
    const { organizationId } = scope;
    const expiresAt = new Date(input.expiresAt);
    const now = Date.now();
    if (expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_LIFETIME_MS) {
      throw problems.unprocessable('expiresAt must be in the future and at most a year ahead.');
    }
    const parameters = { ...input.parameters };
    // The page must render: checking the selection now (teams of this organization, a window
    // that makes sense) answers its 4xx to the person making the link, not to its readers.
    await this.reports.trends(scope, selectionOf(parameters));
    const token = issueTenantToken(REPORT_LINK_TOKEN_PREFIX, organizationId);
    return this.transactions.run(scope, async (tx) => {
      const row = await this.links.create(tx, organizationId, {
        report: input.report,
        parameters,
        tokenHash: hashSecret(token),
        expiresAt,
        createdById: actingUserId(scope),
      });
      await this.audit.record(tx, scope, {
        action: 'report_link.created',
        entityType: 'report_link',
        entityId: row.id,
        changes: { report: input.report, parameters, expiresAt: input.expiresAt },
      });
      return { ...present(row), token, url: `${origin}${SHARED_REPORTS_PATH}/${token}` };
    });
  }

  list(scope: TenantScope, query: ReportLinkListQueryDto): Promise<Page<ReportLinkDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) =>
      fetchPage(
        query,
        ({ after, take }) => this.links.list(tx, organizationId, query, after, take),
        present,
      ),
    );
  }

  /** The token stops working at once; revoking a revoked link again is a no-op. */
  revoke(scope: TenantScope, linkId: string): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      if (!(await this.links.exists(tx, organizationId, linkId))) {
        throw problems.notFound('Report link');
      }
      if ((await this.links.revoke(tx, organizationId, linkId)) === 0) return;
      await this.audit.record(tx, scope, {
        action: 'report_link.revoked',
        entityType: 'report_link',
        entityId: linkId,
      });
    });
  }

  /** The shared page, with the link's parameters and nothing else. */
  async sharedPage(token: string): Promise<string> {
    const organizationId = organizationOfTenantToken(REPORT_LINK_TOKEN_PREFIX, token);
    if (!organizationId) throw problems.notFound('Report');
    // The token's secret is what admits the reader; the page is read as the system, in the
    // organization the token names.
    const scope = systemScope(organizationId, 'shared-report');
    const link = await this.transactions.run(scope, (tx) =>
      this.links.usable(tx, scope.organizationId, hashSecret(token), new Date()),
    );
    if (!link) throw problems.notFound('Report');
    try {
      return await this.reports.trendsPage(
        scope,
        selectionOf(link.parameters as TrendLinkParametersDto),
      );
    } catch (error) {
      // A team it names was deleted, or the organization was: the link shows nothing.
      if (error instanceof DomainError && error.code === 'not_found') {
        throw problems.notFound('Report');
      }
      throw error;
    }
  }
}
