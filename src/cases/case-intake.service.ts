import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { normaliseCaseNo } from '../common/case-no';
import { Clock } from '../common/clock';
import { ID_NUMBER_MESSAGES, idNumberProblem, isMainlandPhone, isMinorOn, normaliseIdNumber, normalisePhone } from '../common/identity';
import { parseShanghaiDateTime, shanghaiYear } from '../common/time';
import { FieldError, InputInvalidException, validateInput } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { Village } from '../townships/entities/village.entity';
import { Township } from '../townships/entities/township.entity';
import { townshipById, villageById } from '../townships/townships.repository';
import { caseScopeSql } from './case-access';
import { CaseStatus } from './case.enums';
import { CreateCaseDto } from './dto/create-case.dto';
import { Case } from './entities/case.entity';
import { nextInSeries } from '../database/sequences';
import { caseNoInScope, caseNoOf, insertCaseRow } from './intake.repository';
import { APP_CONFIG, AppConfig } from '../config/config';
import { hashQueryCode, newQueryCode } from '../lookup/query-code';
import { applyProtection } from '../protection/matching';
import { CaseHistoryWriter } from './history/case-history.writer';
import type { NewHistoryEntry } from './history/history-entry';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { shanghaiDate } from '../common/time';

export const CASE_NO_PREFIX = 'JZ';
export { CASE_NO_PATTERN } from '../common/case-no';

/** An intake after every rule was checked, with the township and village it names. */
export interface CheckedIntake {
  value: CreateCaseDto;
  errors: FieldError[];
  township: Township | null;
  village: Village | null;
  /** The earlier case named as the one this repeats (重复件). */
  repeatOf: { id: number; caseNo: string } | null;
}

/** JZ2026-141099-000123: prefix and year, the county's code, the county's sequence for the year. */
export function formatCaseNo(prefix: string, countyCode: string, year: number, seq: number): string {
  return `${prefix}${year}-${countyCode}-${String(seq).padStart(6, '0')}`;
}

/** A letter may be back-dated; nothing may be dated in the future (clock skew allowance: 5 min). */
const FUTURE_ALLOWANCE_MS = 5 * 60 * 1000;

/** Intake: turns a checked CreateCaseDto into a numbered case with its first history row. */
@Injectable()
export class CaseIntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly history: CaseHistoryWriter,
    private readonly deadlines: DeadlinesService,
  ) {}

  /**
   * Every problem with an intake at once: the DTO's field rules, then the rules across fields
   * for the fields that passed. `strict` refuses unknown fields (the API); forms drop them.
   */
  async validate(plain: unknown, strict: boolean, actor?: AuthUser): Promise<CheckedIntake> {
    const { value, errors } = validateInput(CreateCaseDto, plain, strict);
    const failed = new Set(errors.map((e) => e.field));
    const checked = await this.check(value, actor);
    return { ...checked, value, errors: [...errors, ...checked.errors.filter((e) => !failed.has(e.field))] };
  }

  /**
   * The rules that depend on more than one field, in the order of the form. Returns every
   * problem at once so the operator can fix them in one pass.
   */
  async check(dto: CreateCaseDto, actor?: AuthUser): Promise<CheckedIntake> {
    const errors: FieldError[] = [];
    let township: Township | null = null;
    let village: Village | null = null;
    let repeatOf: { id: number; caseNo: string } | null = null;
    const now = this.clock.now();

    if (typeof dto.receivedAt === 'string') {
      const at = parseShanghaiDateTime(dto.receivedAt);
      if (!at) errors.push({ field: 'receivedAt', message: '接收时间格式不正确（例：2026-03-05 14:30）' });
      else if (at.getTime() > now.getTime() + FUTURE_ALLOWANCE_MS) errors.push({ field: 'receivedAt', message: '接收时间不能晚于当前时间' });
      else if (now.getTime() - at.getTime() > 3 * 365 * 86400_000) errors.push({ field: 'receivedAt', message: '接收时间不能早于三年前' });
    }

    if (dto.kind === 'complaint' && (!dto.problemTypes || dto.problemTypes.length === 0)) {
      errors.push({ field: 'problemTypes', message: '投诉举报须至少选择一个问题类别' });
    }

    if (dto.reporterType === 'anonymous') {
      // 求助 needs someone to help: it cannot be anonymous.
      if (dto.kind === 'helpRequest') errors.push({ field: 'reporterType', message: '求助申请须登记求助人，不能匿名' });
    } else if (dto.reporterType === 'realName') {
      if (!dto.reporterName) errors.push({ field: 'reporterName', message: '实名登记须填写姓名' });
      if (dto.kind === 'helpRequest' && !dto.reporterPhone && !dto.reporterAddress) {
        errors.push({ field: 'reporterPhone', message: '求助申请须留下联系电话或住址，以便联系本人' });
      }
      if (dto.kind === 'complaint' && !dto.reporterPhone && !dto.reporterIdNumber) {
        errors.push({ field: 'reporterPhone', message: '实名举报须留下联系电话或身份证号码' });
      }
      if (dto.reporterPhone && !isMainlandPhone(dto.reporterPhone)) {
        errors.push({ field: 'reporterPhone', message: '请输入有效的手机号（11位）或带区号的固定电话（如 0358-3221234）' });
      }
      if (dto.reporterIdNumber) {
        const p = idNumberProblem(dto.reporterIdNumber);
        if (p) errors.push({ field: 'reporterIdNumber', message: ID_NUMBER_MESSAGES[p] });
      }
    }

    if (dto.kind === 'helpRequest' || dto.kind === 'complaint') {
      if (!dto.townshipId) errors.push({ field: 'townshipId', message: '请选择事项所在乡镇' });
    }
    if (typeof dto.townshipId === 'number') {
      const t = (township = await townshipById(this.dataSource.manager, dto.townshipId));
      // a township of another county does not exist for this county's operator
      if (!t || !t.active || (actor && t.countyCode !== actor.regionCode)) errors.push({ field: 'townshipId', message: '所选乡镇不存在' });
    }
    if (typeof dto.villageId === 'number') {
      const v = (village = await villageById(this.dataSource.manager, dto.villageId));
      if (!v || !v.active) errors.push({ field: 'villageId', message: '所选村（社区）不存在' });
      else if (dto.townshipId && v.townshipId !== dto.townshipId) errors.push({ field: 'villageId', message: '该村（社区）不属于所选乡镇' });
      else if (!dto.townshipId) errors.push({ field: 'townshipId', message: '请先选择乡镇' });
    }
    if (typeof dto.repeatOfCaseNo === 'string' && dto.repeatOfCaseNo) {
      const no = normaliseCaseNo(dto.repeatOfCaseNo) ?? dto.repeatOfCaseNo.toUpperCase();
      // A case the operator may not see (recusal) does not exist for them here either.
      const scope = actor ? caseScopeSql(actor) : { sql: '1 = 1', params: [] };
      const row = await caseNoInScope(this.dataSource.manager, no, scope);
      if (row) repeatOf = row;
      else errors.push({ field: 'repeatOfCaseNo', message: `案件 ${dto.repeatOfCaseNo} 不存在` });
    }
    return { value: dto, errors, township, village, repeatOf };
  }

  /** Checks, then logs the case; bad input throws InputInvalidException and stores nothing. */
  async create(actor: AuthUser, dto: CreateCaseDto): Promise<Case> {
    const checked = await this.check(dto, actor);
    if (checked.errors.length) throw new InputInvalidException(checked.errors);
    return this.createChecked(actor, checked);
  }

  /** Logs a case whose input validate() or check() found without errors. */
  async createChecked(actor: AuthUser, checked: CheckedIntake): Promise<Case> {
    if (checked.errors.length) throw new InputInvalidException(checked.errors);
    return this.writer.write((m) => this.insertChecked(m, actor, checked));
  }

  /**
   * Logs a checked intake inside the caller's write transaction (intake with the steps that follow
   * it in one write: 当场解答, 受理并交办). The case comes back with its township, village and the
   * one-time query code.
   */
  async insertChecked(m: EntityManager, actor: AuthUser, checked: CheckedIntake): Promise<Case & { queryCode: string }> {
    if (checked.errors.length) throw new InputInvalidException(checked.errors);
    const dto = checked.value;
    const now = this.clock.now();
    const receivedAt = dto.receivedAt ? parseShanghaiDateTime(dto.receivedAt)! : now;
    const anonymous = dto.reporterType === 'anonymous';

    const created = await this.insertCase(
      m,
      {
        channel: dto.channel,
        kind: dto.kind,
        program: dto.program,
        problemTypes: dto.problemTypes ?? [],
        reporterType: dto.reporterType,
        // An anonymous report keeps no reporter details, even if some were typed before the switch.
        reporterName: anonymous ? null : (dto.reporterName ?? null),
        reporterPhone: anonymous || !dto.reporterPhone ? null : normalisePhone(dto.reporterPhone),
        reporterIdNumber: anonymous || !dto.reporterIdNumber ? null : normaliseIdNumber(dto.reporterIdNumber),
        reporterAddress: anonymous ? null : (dto.reporterAddress ?? null),
        reporterMinor: !anonymous && (!!dto.reporterMinor || isMinorOn(dto.reporterIdNumber ? normaliseIdNumber(dto.reporterIdNumber) : null, receivedAt)),
        subjectMinor: !!dto.subjectMinor,
        townshipId: dto.townshipId ?? null,
        villageId: dto.villageId ?? null,
        subjectName: dto.subjectName ?? null,
        subjectUnit: dto.subjectUnit ?? null,
        subjectPost: dto.subjectPost ?? null,
        content: dto.content,
        urgency: dto.urgency ?? 'normal',
        receivedAt,
        repeatOfId: checked.repeatOf?.id ?? null,
        countyCode: actor.regionCode ?? '',
      },
      actor,
      now,
    );
    created.township = checked.township;
    created.village = checked.village;
    return created as Case & { queryCode: string };
  }

  /**
   * Inserts a registered case with its number, problem-type rows, search row (insertCaseRow) and
   * first history rows, inside the caller's write transaction. The one way a case comes into being (intake, API,
   * demo data).
   */
  async insertCase(
    m: EntityManager,
    fields: Omit<Partial<Case>, 'id' | 'caseNo' | 'status'> & Pick<Case, 'channel' | 'kind' | 'program' | 'reporterType' | 'content' | 'receivedAt' | 'countyCode'>,
    actor: Pick<AuthUser, 'id' | 'displayName' | 'role' | 'via'>,
    now: Date,
  ): Promise<Case> {
    const status: CaseStatus = 'registered';
    // a case is registered by a county's office, for that county: without one it cannot be numbered
    if (!/^\d{6}$/.test(fields.countyCode)) throw new Error(`a case needs its county (got "${fields.countyCode}")`);
    const caseNo = await this.nextCaseNo(m, fields.countyCode, shanghaiYear(now));
    const saved = m.getRepository(Case).create({ problemTypes: [], urgency: 'normal', ...fields, caseNo, status, createdById: actor.id, createdAt: now, updatedAt: now, version: 1 });
    const queryCode = newQueryCode();
    saved.id = await insertCaseRow(m, { ...saved, caseNo, status, createdAt: now, createdById: actor.id, queryCodeHash: hashQueryCode(this.config.sessionSecret, caseNo, queryCode) });
    // Shown once to the operator, who reads it out; only its keyed hash is kept.
    (saved as Case & { queryCode?: string }).queryCode = queryCode;
    const created: NewHistoryEntry = {
      caseId: saved.id, at: now, actorId: actor.id, actorName: actor.displayName, actorRole: actor.role,
      type: 'created', action: null, fromStatus: null, toStatus: status, note: null, data: { channel: saved.channel, kind: saved.kind, via: actor.via },
    };
    const entries: NewHistoryEntry[] = [created];
    if (saved.repeatOfId) {
      const otherNo = await caseNoOf(m, saved.repeatOfId);
      if (!otherNo) throw new Error('repeat of a case that does not exist');
      const other = { caseNo: otherNo };
      entries.push({
        caseId: saved.id, at: now, actorId: actor.id, actorName: actor.displayName, actorRole: actor.role,
        type: 'note', action: 'link-repeat', fromStatus: status, toStatus: status, note: `登记时标记为 ${other.caseNo} 的重复件`, data: { otherCaseNo: other.caseNo },
      });
    }
    await this.history.appendFirst(m, entries);
    // The county's clock for accepting it (县局默认 1 working day from registration) and, for a
    // reporter with a name, the 15 days to notify them in writing from the receipt (《信访工作条例》
    // 第二十三条; not when the name and address are unknown, so never for an anonymous report).
    const clocks = await this.deadlines.startMany(m, saved, [
      { stage: 'countyAccept', startDate: shanghaiDate(now) },
      ...(saved.reporterType !== 'anonymous' ? [{ stage: 'receiptNotice' as const, startDate: shanghaiDate(saved.receivedAt) }] : []),
    ]);
    if (clocks.some((d) => d.missingYear)) await this.deadlines.syncCases(m, [saved.id]);
    const p = await applyProtection(m, { ...saved, isNew: true });
    saved.relativeFlag = !!p.relativeRegistrationId;
    saved.relativeRegistrationId = p.relativeRegistrationId;
    return saved;
  }

  /** Atomic per-county, per-year counter; safe under concurrent intake and across instances. */
  async nextCaseNo(m: EntityManager, countyCode: string, year: number): Promise<string> {
    return formatCaseNo(CASE_NO_PREFIX, countyCode, year, await nextInSeries(m, `${CASE_NO_PREFIX}${countyCode}`, year));
  }
}
