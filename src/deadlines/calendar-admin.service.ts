import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { CalendarDay } from '../calendar/entities/calendar-day.entity';
import { CountyCalendarDay } from '../calendar/entities/county-calendar-day.entity';
import { CalendarYear } from '../calendar/entities/calendar-year.entity';
import { DayType, dayNumber, expandRange } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { FieldError, InputInvalidException } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { missingYearCounts } from './deadlines.repository';
import { DeadlinesService } from './deadlines.service';
import { DeadlineRecomputeService, RecomputeSummary } from './recompute.service';
import { CalendarDayDto, CalendarYearDto, NewRuleDto, RuleDto } from './dto/deadline-admin.dto';
import { CountyDeadlineRule } from './entities/county-deadline-rule.entity';
import { DeadlineRule } from './entities/deadline-rule.entity';

export type { RecomputeSummary } from './recompute.service';

/** Parses the lines of a yearly notice as typed by the administrator. */
export function parseNoticeLines(year: number, text: string): { days: { date: string; type: DayType; name: string }[]; errors: string[] } {
  const days = new Map<string, { date: string; type: DayType; name: string }>();
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(\d{4}-\d{2}-\d{2})(?:\s*[~～至-]\s*(\d{4}-\d{2}-\d{2}))?\s+(休|班)\s*(\S.*)?$/.exec(line);
    if (!m) return errors.push(`第 ${i + 1} 行格式不正确：应为「2027-01-01 休 元旦」或「2027-02-06~2027-02-13 休 春节」或「2027-02-14 班 春节」`);
    const [, a, b, kind, name = kind === '休' ? '假日' : '调休上班'] = m;
    const first = dayNumber(a);
    const last = b ? dayNumber(b) : first;
    if (first === null || last === null) return errors.push(`第 ${i + 1} 行日期不存在`);
    if (last < first) return errors.push(`第 ${i + 1} 行结束日期早于开始日期`);
    const range = b ? expandRange([a, b]) : [a];
    const outside = range.find((date) => !date.startsWith(`${year}-`));
    if (outside) return errors.push(`第 ${i + 1} 行日期 ${outside} 不在 ${year} 年`);
    for (const date of range) days.set(date, { date, type: kind === '休' ? 'off' : 'workday', name: name.slice(0, 20) });
  });
  return { days: [...days.values()], errors };
}

/**
 * The county whose own rules and days `actor` changes: their own county, for its administrator or
 * supervisor. Above a county (a prefecture or province) nobody changes a county's: they read.
 */
export function ownCounty(actor: AuthUser): string {
  if (actor.role !== 'admin' && actor.role !== 'supervisor') throw new ForbiddenException({ message: '您的角色无权使用此功能' });
  if (actor.level !== 'county' || !actor.regionCode || !actor.countyCodes?.includes(actor.regionCode)) throw new ForbiddenException({ message: '市级、省级用户只能查看和督办，不能办理县里的事项' });
  return actor.regionCode;
}

/**
 * The administrator's changes to the calendar and the rules. Each change is audited and followed
 * by recomputing every open deadline (each moved clock gets a history row on its case): asked for
 * in the change's own write, so it happens even if the process stops (recompute.service.ts), in
 * batches that leave the event loop free; each method's promise ends with the recomputation.
 */
@Injectable()
export class CalendarAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly calendars: CalendarService,
    private readonly deadlines: DeadlinesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly recompute: DeadlineRecomputeService,
  ) {}

  async saveRule(actor: AuthUser, id: number, dto: RuleDto): Promise<RecomputeSummary> {
    await this.writer.write(async (m) => {
      const rule = await m.getRepository(DeadlineRule).findOneByOrFail({ id });
      const before = { limitValue: rule.limitValue, unit: rule.unit, maxExtension: rule.maxExtension };
      Object.assign(rule, dto, { updatedAt: this.clock.now(), updatedBy: actor.displayName });
      await m.getRepository(DeadlineRule).save(rule);
      await this.audit.record(actor, 'deadlineRule.update', 'deadlineRule', String(id), { before, after: { ...dto } });
      await this.recompute.mark(m, '时限规则调整', actor.displayName);
    });
    return this.recompute.untilDone();
  }

  async addRule(actor: AuthUser, dto: NewRuleDto): Promise<RecomputeSummary> {
    const exists = await this.dataSource.getRepository(DeadlineRule).findOneBy({ stage: dto.stage as DeadlineRule['stage'], kind: (dto.kind ?? null) as never, program: (dto.program ?? null) as never });
    if (exists) throw new InputInvalidException([{ field: 'stage', message: '该环节、诉求类型和救助项目的规则已存在，请直接修改' }]);
    await this.writer.write(async (m) => {
      const saved = await m.getRepository(DeadlineRule).save({
        stage: dto.stage as DeadlineRule['stage'],
        kind: (dto.kind ?? null) as DeadlineRule['kind'],
        program: (dto.program ?? null) as DeadlineRule['program'],
        limitValue: dto.limitValue,
        unit: dto.unit,
        maxExtension: dto.maxExtension,
        source: dto.source,
        updatedAt: this.clock.now(),
        updatedBy: actor.displayName,
      });
      await this.audit.record(actor, 'deadlineRule.create', 'deadlineRule', String(saved.id), { ...dto });
    });
    // A more specific rule changes nothing already running: clocks keep the rule they started with.
    this.deadlines.invalidateRules();
    return { checked: 0, changed: 0, missing: 0 };
  }

  async setDay(actor: AuthUser, dto: CalendarDayDto): Promise<RecomputeSummary> {
    const year = Number(dto.date.slice(0, 4));
    const errors: FieldError[] = [];
    if (dayNumber(dto.date) === null) errors.push({ field: 'date', message: '日期不存在' });
    if (!(await this.dataSource.getRepository(CalendarYear).findOneBy({ year }))) errors.push({ field: 'date', message: `${year} 年尚未录入日历，请先按通知添加整年安排` });
    if (errors.length) throw new InputInvalidException(errors);
    await this.writer.write(async (m) => {
      const repo = m.getRepository(CalendarDay);
      const before = await repo.findOneBy({ date: dto.date });
      if (dto.type === 'normal') await repo.delete({ date: dto.date });
      else await repo.save({ date: dto.date, year, type: dto.type, name: dto.name ?? (dto.type === 'off' ? '假日' : '调休上班') });
      await m.getRepository(CalendarYear).update({ year }, { updatedAt: this.clock.now(), updatedBy: actor.displayName });
      await this.audit.record(actor, 'calendar.day', 'calendarDay', dto.date, { before: before ? { type: before.type, name: before.name } : null, after: { ...dto } });
      await this.recompute.mark(m, `节假日日历调整（${dto.date}）`, actor.displayName);
    });
    this.calendars.invalidate();
    return this.recompute.untilDone();
  }

  async saveYear(actor: AuthUser, dto: CalendarYearDto): Promise<RecomputeSummary> {
    const { days, errors } = parseNoticeLines(dto.year, dto.days);
    if (errors.length) throw new InputInvalidException(errors.map((message) => ({ field: 'days', message })));
    await this.writer.write(async (m) => {
      await this.calendars.saveYear(m, dto.year, dto.source, days, actor.displayName);
      await this.audit.record(actor, 'calendar.year', 'calendarYear', String(dto.year), { source: dto.source, days: days.length });
      await this.recompute.mark(m, `录入 ${dto.year} 年节假日安排`, actor.displayName);
    });
    this.calendars.invalidate();
    return this.recompute.untilDone();
  }

  /**
   * The actor's county's own limit for one shared rule (its days, unit, extension and source):
   * recorded in the audit log with the values it replaces, and every open clock of that county
   * following the rule computed again (no other county's).
   */
  async saveCountyRule(actor: AuthUser, ruleId: number, dto: RuleDto): Promise<RecomputeSummary> {
    const countyCode = ownCounty(actor);
    await this.writer.write(async (m) => {
      const rule = await m.getRepository(DeadlineRule).findOneBy({ id: ruleId });
      if (!rule) throw new NotFoundException({ message: '没有这条时限规则' });
      const repo = m.getRepository(CountyDeadlineRule);
      const own = await repo.findOneBy({ countyCode, ruleId });
      const before = own ?? rule;
      await repo.save({ countyCode, ruleId, limitValue: dto.limitValue, unit: dto.unit, maxExtension: dto.maxExtension, source: dto.source, updatedAt: this.clock.now(), updatedBy: actor.displayName });
      await this.audit.record(actor, 'deadlineRule.county', 'deadlineRule', String(ruleId), {
        countyCode,
        before: { limitValue: before.limitValue, unit: before.unit, maxExtension: before.maxExtension, own: !!own },
        after: { ...dto },
      });
      await this.recompute.mark(m, '本县时限规则调整', actor.displayName, countyCode);
    });
    this.deadlines.invalidateRules();
    return this.recompute.untilDone();
  }

  /** The actor's county follows the shared rule again (its own limit removed), recomputed as above. */
  async resetCountyRule(actor: AuthUser, ruleId: number): Promise<RecomputeSummary> {
    const countyCode = ownCounty(actor);
    await this.writer.write(async (m) => {
      const repo = m.getRepository(CountyDeadlineRule);
      const own = await repo.findOneBy({ countyCode, ruleId });
      if (!own) throw new NotFoundException({ message: '本县没有单独设置这条规则' });
      await repo.delete({ countyCode, ruleId });
      await this.audit.record(actor, 'deadlineRule.countyReset', 'deadlineRule', String(ruleId), {
        countyCode,
        before: { limitValue: own.limitValue, unit: own.unit, maxExtension: own.maxExtension },
      });
      await this.recompute.mark(m, '本县恢复执行统一时限规则', actor.displayName, countyCode);
    });
    this.deadlines.invalidateRules();
    return this.recompute.untilDone();
  }

  /**
   * One day of the actor's county kept differently from the national calendar (a local rest day or
   * working day), or back to the national calendar (`normal`): audited, and the county's open
   * clocks computed again (no other county's).
   */
  async setCountyDay(actor: AuthUser, dto: CalendarDayDto): Promise<RecomputeSummary> {
    const countyCode = ownCounty(actor);
    const year = Number(dto.date.slice(0, 4));
    const errors: FieldError[] = [];
    if (dayNumber(dto.date) === null) errors.push({ field: 'date', message: '日期不存在' });
    else if (!(await this.dataSource.getRepository(CalendarYear).findOneBy({ year }))) errors.push({ field: 'date', message: `${year} 年尚未录入全国节假日安排，请先由管理员录入整年安排` });
    if (errors.length) throw new InputInvalidException(errors);
    await this.writer.write(async (m) => {
      const repo = m.getRepository(CountyCalendarDay);
      const before = await repo.findOneBy({ countyCode, date: dto.date });
      if (dto.type === 'normal') await repo.delete({ countyCode, date: dto.date });
      else await repo.save({ countyCode, date: dto.date, year, type: dto.type, name: dto.name ?? (dto.type === 'off' ? '本县放假' : '本县上班'), updatedAt: this.clock.now(), updatedBy: actor.displayName });
      await this.audit.record(actor, 'calendar.countyDay', 'calendarDay', dto.date, { countyCode, before: before ? { type: before.type, name: before.name } : null, after: { ...dto } });
      await this.recompute.mark(m, `本县节假日调整（${dto.date}）`, actor.displayName, countyCode);
    });
    this.calendars.invalidate(countyCode);
    return this.recompute.untilDone();
  }

  /** 「正在重新计算期限：已完成 … / …」 while a recomputation that covers the county runs, else null. */
  recomputeStatus(countyCode?: string): Promise<string | null> {
    return this.recompute.status(countyCode);
  }

  /** Cases of the counties whose deadlines wait for a year with no calendar (shown on the calendar page). */
  async missingYearCases(counties: readonly string[]): Promise<{ year: number; n: number }[]> {
    return missingYearCounts(this.dataSource.manager, counties);
  }
}
