import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { actorFields } from '../cases/history/history-entry';
import type { Case } from '../cases/entities/case.entity';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { setQueryCodeHash } from './lookup.repository';
import { hashQueryCode, newQueryCode, queryCodeMatches } from './query-code';
import { normaliseQueryCode } from './lookup.service';

/**
 * The query code (查询码) after intake: only its keyed hash is stored, so the code can be shown or
 * printed only by someone who holds it — the operator in the step that issued it — and the county
 * can issue a new one (the old one stops working at once).
 */
@Injectable()
export class QueryCodeService {
  constructor(
    private readonly writer: DbWriter,
    private readonly clock: Clock,
    private readonly query: CaseQueryService,
    private readonly history: CaseHistoryWriter,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** True when `code` is the case's current code (the notice prints only a code that works). */
  isCurrent(c: Pick<Case, 'caseNo' | 'queryCodeHash'>, raw: unknown): boolean {
    const code = normaliseQueryCode(raw);
    return !!code && queryCodeMatches(this.config.sessionSecret, c.caseNo, code, c.queryCodeHash);
  }

  /**
   * A new code for the case (the reporter lost it, or it reached someone else): the hash is
   * replaced, so the old code stops working; audited, and a history entry without the code.
   * Returns the new code, to be read out and printed now: it is not kept anywhere.
   */
  async reissue(actor: AuthUser, caseNo: string): Promise<{ caseNo: string; code: string }> {
    const c = await this.query.getByCaseNo(actor, caseNo);
    const code = newQueryCode();
    const now = this.clock.now();
    await this.writer.write(async (m) => {
      await setQueryCodeHash(m, c.id, hashQueryCode(this.config.sessionSecret, c.caseNo, code), now);
      await this.history.append(m, {
        caseId: c.id, at: now, ...actorFields(actor), type: 'note', action: 'reissue-query-code',
        fromStatus: c.status, toStatus: c.status, note: '重新发放查询码，原查询码作废', data: null,
      });
      await this.audit.record(actor, 'query-code.reissue', 'case', c.caseNo);
    });
    return { caseNo: c.caseNo, code };
  }
}
