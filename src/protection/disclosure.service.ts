import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { CaseQueryService } from '../cases/case-query.service';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { actorFields } from '../cases/history/history-entry';
import { Case } from '../cases/entities/case.entity';
import { isReport } from '../cases/reporter-view';
import { PERSONAL_KEY_LABELS } from '../cases/search-query';
import { Clock } from '../common/clock';
import { formatDateTime, fromDbDateTime } from '../common/time';
import { InputInvalidException } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { Township } from '../townships/entities/township.entity';
import { disclosureEvents, recusedCaseNos } from './protection.repository';

/**
 * 信访工作条例 Art. 30: a reporter reaches the township only when a supervisor discloses them, with
 * a written reason. The disclosure is audited and so is every later view (CaseQueryService).
 */
@Injectable()
export class DisclosureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly query: CaseQueryService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly history: CaseHistoryWriter,
  ) {}

  canDisclose(actor: AuthUser, c: Case): boolean {
    return actor.role === 'supervisor' && c.reporterType === 'realName' && isReport(c) && !!c.assignedAt && !!c.townshipId && c.reporterDisclosedToTownshipId !== c.townshipId;
  }

  async disclose(actor: AuthUser, caseNo: string, reason: unknown): Promise<void> {
    const c = await this.query.getByCaseNo(actor, caseNo);
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (text.length < 5 || text.length > 500) throw new InputInvalidException([{ field: 'reason', message: '请写明披露理由（5至500字）' }]);
    if (!this.canDisclose(actor, c)) throw new InputInvalidException([{ field: 'reason', message: '该案件的反映人不需要或不能披露（须为已交办的实名举报）' }]);
    const township = await this.dataSource.getRepository(Township).findOneByOrFail({ id: c.townshipId! });
    const now = this.clock.now();
    await this.writer.write(async (m) => {
      await m.getRepository(Case).update({ id: c.id }, { reporterDisclosedToTownshipId: township.id, reporterDisclosureReason: text, updatedAt: now });
      await this.history.append(m, {
        caseId: c.id,
        at: now,
        ...actorFields(actor),
        type: 'note',
        action: 'disclose-reporter',
        fromStatus: c.status,
        toStatus: c.status,
        // The history is shown to the township too: the reason, never the reporter.
        note: `向${township.name}披露举报人信息，理由：${text}`,
        data: { townshipId: township.id, townshipName: township.name },
      });
      await this.audit.record(actor, 'reporter.disclose', 'case', c.caseNo, { reason: text, townshipId: township.id, townshipName: township.name });
    });
  }

  /**
   * Disclosures and every view of a disclosed reporter, newest first. A case the viewer is recused
   * from is left out here too (the case's own recusal rule, by its number).
   */
  async log(viewer: AuthUser, limit = 500) {
    const rows = await disclosureEvents(this.dataSource.manager, viewer, limit);
    // case numbers inside an export's row: those of cases the viewer is recused from are left out
    const hidden = await recusedCaseNos(this.dataSource.manager, viewer.id);
    const WHERE: Record<string, string> = { page: '页面', print: '打印', pdf: 'PDF', api: '接口' };
    return rows.map((r) => {
      const d = r.detail ? (JSON.parse(r.detail) as { reason?: string; townshipName?: string; document?: string; caseNos?: string[]; leadNos?: string[]; rows?: number; where?: string; key?: string; export?: string }) : {};
      const caseNos = r.action === 'reporter.export' || r.action === 'case.search' ? (d.caseNos ?? []).filter((n) => !hidden.has(n)) : r.targetId && r.action !== 'referral.reporter.view' ? [r.targetId] : [];
      const what =
        r.action === 'case.search'
          ? `按${PERSONAL_KEY_LABELS[r.targetId ?? ''] ?? '个人信息'}查找案件（${d.key ?? ''}）${d.export ? '并导出台账' : ''}，找到 ${caseNos.length} 件`
          : r.action === 'reporter.disclose'
          ? `披露给${d.townshipName ?? '承办乡镇'}`
          : r.action === 'reporter.export'
            ? `导出台账（${(r.targetId ?? '').toUpperCase()}，共 ${d.rows ?? 0} 行）含已披露的举报人`
            : r.action === 'referral.reporter.view'
              ? `查看线索举报人（${WHERE[d.where ?? ''] ?? ''}）：${(d.leadNos ?? []).join('、')}`
              : d.document
                ? `打印${d.document}（含已披露的举报人）`
                : '查看已披露的举报人';
      return { atText: formatDateTime(fromDbDateTime(r.at)), actorName: r.actorName, what, caseNos, reason: d.reason ?? '' };
    });
  }
}
