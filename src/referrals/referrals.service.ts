import { nextInSeries } from '../database/sequences';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type ExcelJS from 'exceljs';
import { excelJs } from '../common/lazy-modules';
import type { Writable } from 'stream';
import { DataSource, In } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { CaseQueryService } from '../cases/case-query.service';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { actorFields, ReferralData } from '../cases/history/history-entry';
import { Case } from '../cases/entities/case.entity';
import { Clock } from '../common/clock';
import { formatDate, formatDateTime, shanghaiYear } from '../common/time';
import { InputInvalidException, validateInput } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { clockView } from '../deadlines/clock-view';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { User } from '../users/entities/user.entity';
import { CreateReferralDto, DisposeDto, EmptyDto, ReporterContactDto, ReturnResultDto } from './dto/referral.dto';
import { Referral } from './entities/referral.entity';
import { ReferralCase } from './entities/referral-case.entity';
import { DISPOSAL_LABELS, REFERRAL_ACTIONS, REFERRAL_STATUS_LABELS, ReferralAction } from './referral.labels';
import { leadsOfCase, visibleLead, visibleLeads } from './referrals.repository';
import { TransitionNotAllowedException } from '../workflow/workflow.errors';

const ACTION_DTOS: Record<ReferralAction, new () => object> = {
  acknowledge: EmptyDto,
  dispose: DisposeDto,
  'return-result': ReturnResultDto,
  'notify-reporter': ReporterContactDto,
  'feedback-reporter': ReporterContactDto,
};

/** Numbered, tracked referrals of leads to the discipline-inspection liaison (DOMAIN §3 线索移交). */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly query: CaseQueryService,
    private readonly deadlines: DeadlinesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly history: CaseHistoryWriter,
    private readonly notifications: NotificationsService,
  ) {}

  liaisons(): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ where: { role: 'liaison', disabled: false }, order: { id: 'ASC' } });
  }

  /** A supervisor refers a case (and any others about the same matter) as one lead. */
  async create(actor: AuthUser, caseNo: string, raw: unknown, strict: boolean): Promise<Referral> {
    const c = await this.query.getByCaseNo(actor, caseNo);
    const { value, errors } = validateInput(CreateReferralDto, raw, strict);
    if (!errors.length) {
      const handler = await this.dataSource.getRepository(User).findOneBy({ id: value.handlerId, role: 'liaison', disabled: false, regionCode: c.countyCode });
      if (!handler) errors.push({ field: 'handlerId', message: '所选人员不是在岗的纪检联络员' });
    }
    const others: Case[] = [];
    for (const no of value.otherCaseNos ?? []) {
      if (no === caseNo) continue;
      try {
        others.push(await this.query.getByCaseNo(actor, no));
      } catch {
        errors.push({ field: 'otherCaseNos', message: `案件 ${no} 不存在` });
      }
    }
    if (errors.length) throw new InputInvalidException(errors);
    const now = this.clock.now();
    const id = await this.writer.write(async (m) => {
      // the case's county: XS2026-141099-0001, numbered per county and year
      const year = shanghaiYear(now);
      const leadNo = `XS${year}-${c.countyCode}-${String(await nextInSeries(m, `XS${c.countyCode}`, year)).padStart(4, '0')}`;
      const r = await m.getRepository(Referral).save(
        m.getRepository(Referral).create({
          leadNo,
          countyCode: c.countyCode,
          source: value.source,
          mainProblem: value.mainProblem,
          verificationSoFar: value.verificationSoFar ?? null,
          subjectName: c.subjectName,
          subjectUnit: c.subjectUnit,
          subjectPost: c.subjectPost,
          reporterType: c.reporterType,
          reporterName: c.reporterType === 'realName' ? c.reporterName : null,
          reporterPhone: c.reporterType === 'realName' ? c.reporterPhone : null,
          attachments: value.attachments ?? null,
          handlerId: value.handlerId,
          status: 'referred',
          referredAt: now,
          referredById: actor.id,
          referredByName: actor.displayName,
        }),
      );
      for (const k of [c, ...others]) {
        await m.getRepository(ReferralCase).insert({ referralId: r.id, caseId: k.id });
        await this.history.append(m, {
          caseId: k.id, at: now, ...actorFields(actor), type: 'note', action: 'refer',
          fromStatus: k.status, toStatus: k.status, note: `问题线索移交纪检监察（${leadNo}）`, data: { leadNo },
        });
      }
      const today = this.deadlines.today();
      await this.deadlines.start(m, c, 'liaisonAcknowledge', today, undefined, r.id);
      if (c.reporterType === 'realName') await this.deadlines.start(m, c, 'realNameAcceptance', today, undefined, r.id);
      await this.audit.record(actor, 'referral.create', 'referral', leadNo, { caseNos: [c.caseNo, ...others.map((o) => o.caseNo)], handlerId: value.handlerId });
      return r.id;
    });
    return this.dataSource.getRepository(Referral).findOneByOrFail({ id });
  }

  /** Supervisors see every lead; a liaison only those handed to them; nobody else any (404); recusal hides a lead whole. */
  list(user: AuthUser, status?: string): Promise<Referral[]> {
    return visibleLeads(this.dataSource.manager, user, status);
  }

  async get(user: AuthUser, leadNo: string): Promise<Referral> {
    const r = await visibleLead(this.dataSource.manager, user, leadNo);
    if (!r) throw new NotFoundException({ message: '未找到该线索' });
    return r;
  }

  async casesOf(referralId: number) {
    const links = await this.dataSource.getRepository(ReferralCase).findBy({ referralId });
    return links.length ? this.dataSource.getRepository(Case).find({ where: { id: In(links.map((l) => l.caseId)) }, order: { id: 'ASC' } }) : [];
  }

  /** Referrals of a case, for the supervisor's case page. */
  async ofCase(caseId: number): Promise<Referral[]> {
    return leadsOfCase(this.dataSource.manager, caseId);
  }

  /**
   * The liaison reading a lead's real-name reporter (page, print, PDF, API) is audited like a
   * township reading a disclosed one: who, when, which leads, where.
   */
  async auditReporterViews(user: AuthUser, leads: Pick<Referral, 'leadNo' | 'reporterType'>[], where: 'page' | 'print' | 'pdf' | 'api'): Promise<void> {
    if (user.role !== 'liaison') return;
    const named = leads.filter((r) => r.reporterType === 'realName').map((r) => r.leadNo);
    if (!named.length) return;
    await this.audit.record(user, 'referral.reporter.view', 'referral', named.length === 1 ? named[0] : null, { leadNos: named, where });
  }

  clocks(referralId: number): Promise<CaseDeadline[]> {
    return this.dataSource.getRepository(CaseDeadline).find({ where: { referralId }, order: { id: 'ASC' } });
  }

  /** The liaison's steps: 404 if not theirs, 403 for other roles, 409 out of order, 400 bad input. */
  async act(actor: AuthUser, leadNo: string, action: string, raw: unknown, strict: boolean): Promise<Referral> {
    const spec = REFERRAL_ACTIONS[action as ReferralAction];
    if (!spec) throw new NotFoundException({ message: '没有这项操作' });
    const r = await this.get(actor, leadNo);
    if (actor.role !== 'liaison') throw new ForbiddenException({ message: '线索的签收、处置和结果反馈由承办的纪检联络员办理' });
    if (!(spec.from as readonly string[]).includes(r.status)) throw new TransitionNotAllowedException(r.status as never, action, `线索当前为「${REFERRAL_STATUS_LABELS[r.status]}」，不能${spec.label}`);
    const { value, errors } = validateInput(ACTION_DTOS[action as ReferralAction], raw, strict);
    if (errors.length) throw new InputInvalidException(errors);
    const input = value as Record<string, string>;
    const now = this.clock.now();
    const [first] = await this.casesOf(r.id);
    await this.writer.write(async (m) => {
      const repo = m.getRepository(Referral);
      const fresh = await repo.findOneByOrFail({ id: r.id });
      if (!(spec.from as readonly string[]).includes(fresh.status)) throw new TransitionNotAllowedException(fresh.status as never, action);
      let note = '';
      switch (action as ReferralAction) {
        case 'acknowledge':
          fresh.acknowledgedAt = now;
          await this.deadlines.close(m, first.id, ['liaisonAcknowledge'], 'met', r.id);
          note = `纪检联络员签收线索 ${r.leadNo}`;
          break;
        case 'dispose':
          fresh.disposal = input.disposal as Referral['disposal'];
          fresh.disposalNote = input.note ?? null;
          fresh.disposedAt = now;
          note = `线索 ${r.leadNo} 处置方式：${DISPOSAL_LABELS[fresh.disposal!]}`;
          break;
        case 'return-result':
          fresh.resultDate = input.resultDate;
          fresh.resultSummary = input.summary;
          fresh.resultReturnedAt = now;
          if (fresh.reporterType === 'realName') await this.deadlines.start(m, first, 'realNameResult', this.deadlines.today(), undefined, r.id);
          note = `线索 ${r.leadNo} 办理结果（${input.resultDate}）：${input.summary}`;
          // back to the county: the supervisor who referred it and the other supervisors (a recused one hears nothing)
          await this.notifications.notify(
            m,
            (await m.getRepository(User).find({ where: { role: 'supervisor', disabled: false, regionCode: r.countyCode }, select: { id: true } })).map((u) => u.id),
            first.id,
            'leadResult',
            `lead-result:${r.id}`,
            `线索 ${r.leadNo} 的办理结果已反馈${fresh.reporterType === 'realName' ? '，请在期限内向实名举报人反馈' : ''}`,
          );
          break;
        case 'notify-reporter':
          if (fresh.reporterType !== 'realName' || fresh.reporterNoticeDate) throw new TransitionNotAllowedException(fresh.status as never, action, fresh.reporterNoticeDate ? '已记录过受理告知' : '匿名举报无需告知');
          fresh.reporterNoticeDate = input.date;
          await this.deadlines.close(m, first.id, ['realNameAcceptance'], 'met', r.id);
          note = `线索 ${r.leadNo} 已于 ${input.date} 告知实名举报人受理情况`;
          break;
        case 'feedback-reporter':
          if (fresh.reporterType !== 'realName' || fresh.reporterFeedbackDate) throw new TransitionNotAllowedException(fresh.status as never, action, fresh.reporterFeedbackDate ? '已记录过结果反馈' : '匿名举报无需反馈');
          fresh.reporterFeedbackDate = input.date;
          await this.deadlines.close(m, first.id, ['realNameResult'], 'met', r.id);
          note = `线索 ${r.leadNo} 已于 ${input.date} 向实名举报人反馈办理结果`;
          break;
      }
      if (spec.to) fresh.status = spec.to;
      await repo.save(fresh);
      const data: ReferralData = fresh.disposal && action === 'dispose' ? { leadNo: r.leadNo, disposal: fresh.disposal } : { leadNo: r.leadNo };
      await this.history.appendMany(
        m,
        (await this.casesOf(r.id)).map((k) => ({
          caseId: k.id, at: now, ...actorFields(actor), type: 'note' as const, action: `referral-${action as ReferralAction}` as const,
          fromStatus: k.status, toStatus: k.status, note, data,
        })),
      );
    });
    return this.dataSource.getRepository(Referral).findOneByOrFail({ id: r.id });
  }

  view(r: Referral, handlers: Map<number, string>) {
    return {
      ...r,
      statusLabel: REFERRAL_STATUS_LABELS[r.status],
      disposalLabel: r.disposal ? DISPOSAL_LABELS[r.disposal] : null,
      referredAtText: formatDateTime(r.referredAt),
      referredDate: formatDate(r.referredAt),
      handlerName: handlers.get(r.handlerId) ?? '',
      anonymous: r.reporterType === 'anonymous',
      attachmentList: (r.attachments ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
    };
  }

  async handlerNames(): Promise<Map<number, string>> {
    return new Map((await this.liaisons()).map((u) => [u.id, u.displayName]));
  }

  clockView(d: CaseDeadline) {
    return clockView(d, this.deadlines.today());
  }

  /** The referral register (移交登记台账) as .xlsx. */
  async exportXlsx(user: AuthUser, out: Writable): Promise<void> {
    const handlers = await this.handlerNames();
    const wb = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true });
    const ws = wb.addWorksheet('问题线索移交登记');
    ws.columns = [
      { header: '线索编号', key: 'leadNo', width: 14 },
      { header: '移交日期', key: 'referredDate', width: 12 },
      { header: '线索来源', key: 'source', width: 14 },
      { header: '被反映人', key: 'subjectName', width: 10 },
      { header: '单位', key: 'subjectUnit', width: 20 },
      { header: '职务', key: 'subjectPost', width: 12 },
      { header: '主要问题', key: 'mainProblem', width: 40 },
      { header: '举报人', key: 'reporter', width: 16 },
      { header: '承办人', key: 'handlerName', width: 10 },
      { header: '状态', key: 'statusLabel', width: 12 },
      { header: '处置方式', key: 'disposalLabel', width: 12 },
      { header: '办结日期', key: 'resultDate', width: 12 },
      { header: '办理结果', key: 'resultSummary', width: 40 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of await this.list(user)) {
      const v = this.view(r, handlers);
      ws.addRow({ ...v, reporter: v.anonymous ? '匿名' : `${r.reporterName ?? ''}（实名）` }).commit();
    }
    ws.commit();
    await wb.commit();
  }
}
