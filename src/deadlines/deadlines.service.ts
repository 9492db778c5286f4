import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { CalendarMissingError, dayNumber, shanghaiToday, Unit, WorkCalendar, ymdOf } from '../calendar/work-calendar';
import type { Kind, Program } from '../cases/case.enums';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import type { NewHistoryEntry } from '../cases/history/history-entry';
import { Clock } from '../common/clock';
import { nextTurn } from '../common/next-turn';
import { fromDbDateTime, shanghaiDate } from '../common/time';
import { DbWriter } from '../database/db-writer.service';
import {
  ClockDue,
  CountyScope,
  gapClocksAfter,
  insertClock,
  insertClocks,
  openClocksAfter,
  pendingRegistrationsAfter,
  registrationDueUnset,
  SettledClock,
  settleClocks,
  syncCaseDeadlines,
  updateClockDues,
  updateRegistrationDues,
} from './deadlines.repository';
import { CaseDeadline } from './entities/case-deadline.entity';
import { CountyDeadlineRule } from './entities/county-deadline-rule.entity';
import { DeadlineRule } from './entities/deadline-rule.entity';
import { DEFAULT_RULES, Stage, STAGE_LABELS } from './stages';

/**
 * Rows per batch of the recomputation (each batch its own write, the event loop free between
 * two): at 5,000 a batch held every request for about a second at 1M cases.
 */
const BATCH = 1000;

/** Where a recomputation of the open clocks stands: the last clock done and the counts so far. */
export interface RecomputeProgress {
  lastId: number;
  checked: number;
  changed: number;
  missing: number;
}

export interface RecomputeOptions {
  /** Go on from here (a recomputation that stopped part-way) instead of from the first clock. */
  from?: RecomputeProgress;
  /**
   * Called inside each batch's write with the progress it makes: saved with the batch, so a
   * process that dies loses nothing done. False stops the recomputation (it returns null).
   */
  onBatch?: (m: EntityManager, p: RecomputeProgress) => Promise<boolean>;
  /** The counties whose clocks are recomputed (a county's own change); null or absent: every county. */
  counties?: CountyScope;
}

/** A case as the clocks need it: its kind and program pick the rule, its county the rule's days and the calendar. */
export interface ClockCase {
  id: number;
  kind: Kind;
  program: Program;
  countyCode: string;
}

/**
 * A rule as it applies in one county: the shared rule (its id, stage, kind, program) with the
 * county's own limit, unit, extension and source when the county has set them. `shared` holds the
 * shared values then (the rules page shows them side by side); null when the county follows them.
 */
export type EffectiveRule = DeadlineRule & { shared: Pick<DeadlineRule, 'limitValue' | 'unit' | 'maxExtension' | 'source'> | null };

/** The shared rule with a county's own values laid over it (no override: the shared rule as it is). */
export function withOverride(rule: DeadlineRule, own: CountyDeadlineRule | undefined): EffectiveRule {
  if (!own) return { ...rule, shared: null };
  return {
    ...rule,
    limitValue: own.limitValue,
    unit: own.unit,
    maxExtension: own.maxExtension,
    source: own.source,
    updatedAt: own.updatedAt,
    updatedBy: own.updatedBy,
    shared: { limitValue: rule.limitValue, unit: rule.unit, maxExtension: rule.maxExtension, source: rule.source },
  };
}

interface RuleSet {
  at: number;
  rules: DeadlineRule[];
  /** County → shared rule id → the county's own values. */
  overrides: Map<string, Map<number, CountyDeadlineRule>>;
}

export interface DueResult {
  dueDate: string | null;
  missingYear: number | null;
}

/** Most specific rule first: kind and program, then kind, then program, then the stage's default. */
export function pickRule(rules: DeadlineRule[], stage: Stage, kind: Kind, program: Program): DeadlineRule | null {
  const score = (r: DeadlineRule) => (r.kind === kind ? 2 : r.kind === null ? 0 : -99) + (r.program === program ? 1 : r.program === null ? 0 : -99);
  let best: DeadlineRule | null = null;
  for (const r of rules) {
    if (r.stage !== stage || score(r) < 0) continue;
    if (!best || score(r) > score(best)) best = r;
  }
  return best;
}

export function computeDue(cal: WorkCalendar, startDate: string, n: number, unit: Unit): DueResult {
  try {
    return { dueDate: cal.due(startDate, n, unit), missingYear: null };
  } catch (e) {
    if (e instanceof CalendarMissingError) return { dueDate: null, missingYear: e.year };
    throw e;
  }
}

export { dueClockUnitSql } from './deadlines.repository';

/**
 * The clocks of cases (DOMAIN §6): started, paused, extended and closed by the workflow inside its
 * write transaction, and recomputed here when the calendar or a rule changes.
 */
@Injectable()
export class DeadlinesService implements OnApplicationBootstrap {
  private rulesCache: RuleSet | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly calendars: CalendarService,
    private readonly clock: Clock,
    private readonly history: CaseHistoryWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Every default rule that has no row yet: all of them on an empty database, and the stages a
    // release adds on an existing one (a rule the administrator edited keeps its values).
    const key = (r: { stage: string; kind: string | null; program: string | null }) => `${r.stage}|${r.kind ?? ''}|${r.program ?? ''}`;
    const missingIn = async (m: EntityManager) => {
      const have = new Set((await m.getRepository(DeadlineRule).find()).map(key));
      return DEFAULT_RULES.filter((r) => !have.has(key(r)));
    };
    if ((await missingIn(this.dataSource.manager)).length) {
      const now = this.clock.now();
      // checked again under the lock: instances starting together add each rule once
      await this.writer.exclusive('seed-deadline-rules', async (m) => {
        const missing = await missingIn(m);
        if (missing.length) await m.getRepository(DeadlineRule).insert(missing.map((r) => ({ ...r, updatedAt: now, updatedBy: '默认规则' })));
      });
      this.invalidateRules();
    }
    // registrations saved before their due date was stored (or while the calendar lacked the year);
    // looked for first, so a fresh database does not read (and cache) a calendar not yet seeded
    if (await registrationDueUnset(this.dataSource.manager)) await this.recomputeRegistrations(true);
  }

  today(): string {
    return shanghaiToday(this.clock.now());
  }

  /**
   * How long each clock is past its last day today, in the clock's own unit (working days or
   * calendar days), 0 when not past; null when its date or unit is not known or the calendar of the
   * days between is missing. The one computation behind every "超期 N 个工作日" on screen.
   */
  async overdueBy(clocks: readonly { dueDate: string | null; unit: Unit | null; countyCode: string }[]): Promise<(number | null)[]> {
    if (!clocks.some((c) => c.dueDate)) return clocks.map(() => null);
    // each clock on its own county's calendar (a prefecture's list holds several counties)
    const cals = new Map<string, WorkCalendar>();
    for (const code of new Set(clocks.map((c) => c.countyCode))) cals.set(code, await this.calendars.calendar(code));
    const today = this.today();
    return clocks.map((c) => {
      if (!c.dueDate || !c.unit) return null;
      try {
        return cals.get(c.countyCode)!.overdueBy(c.dueDate, today, c.unit);
      } catch (e) {
        if (e instanceof CalendarMissingError) return null;
        throw e;
      }
    });
  }

  /** The last day of "due within n days" (calendar days, today included: n = 0 is today). */
  dueWithinCutoff(n: number): string {
    return ymdOf(dayNumber(this.today())! + n);
  }

  private async ruleSet(): Promise<RuleSet> {
    if (this.rulesCache && Date.now() - this.rulesCache.at < 30_000) return this.rulesCache;
    const [rules, own] = await Promise.all([
      this.dataSource.getRepository(DeadlineRule).find({ order: { stage: 'ASC', id: 'ASC' } }),
      this.dataSource.getRepository(CountyDeadlineRule).find(),
    ]);
    const overrides = new Map<string, Map<number, CountyDeadlineRule>>();
    for (const o of own) {
      if (!overrides.has(o.countyCode)) overrides.set(o.countyCode, new Map());
      overrides.get(o.countyCode)!.set(o.ruleId, o);
    }
    this.rulesCache = { at: Date.now(), rules, overrides };
    return this.rulesCache;
  }

  /** The shared rules, as every county without rules of its own has them. */
  async rules(): Promise<DeadlineRule[]> {
    return (await this.ruleSet()).rules;
  }

  /**
   * The rules as they apply in a county: each shared rule with the county's own values where it
   * has set them. The one way to a county's rules: every clock, preview, window and recomputation
   * comes through here (or `ruleById`) with the case's county.
   */
  async rulesFor(countyCode: string): Promise<EffectiveRule[]> {
    const set = await this.ruleSet();
    const own = set.overrides.get(countyCode);
    return set.rules.map((r) => withOverride(r, own?.get(r.id)));
  }

  /** A clock's rule (its `ruleId`) as it applies in the case's county; undefined if there is none. */
  async ruleById(id: number, countyCode: string): Promise<EffectiveRule | undefined> {
    return (await this.rulesFor(countyCode)).find((r) => r.id === id);
  }

  invalidateRules(): void {
    this.rulesCache = null;
  }

  /** The most specific rule for the stage, kind and program, with the county's own values. */
  async rule(stage: Stage, kind: Kind, program: Program, countyCode: string): Promise<EffectiveRule> {
    const rules = await this.rulesFor(countyCode);
    // specificity is decided on the shared rules (a county changes a rule's days, not which rule applies)
    const r = pickRule(rules, stage, kind, program) as EffectiveRule | null;
    if (!r) throw new Error(`no deadline rule for stage ${stage}`);
    return r;
  }

  /** What a clock starting today would give, without starting it (the assign form shows this). */
  async preview(stage: Stage, c: Omit<ClockCase, 'id'>, startDate = this.today()): Promise<DueResult & { rule: EffectiveRule }> {
    const rule = await this.rule(stage, c.kind, c.program, c.countyCode);
    return { ...computeDue(await this.calendars.calendar(c.countyCode), startDate, rule.limitValue, rule.unit), rule };
  }

  /** The stage's general rule (no kind, no program) in the county: for limits that do not depend on a case. */
  async generalRule(stage: Stage, countyCode: string): Promise<EffectiveRule> {
    const rules = (await this.rulesFor(countyCode)).filter((r) => r.stage === stage);
    const r = rules.find((x) => x.kind === null && x.program === null) ?? rules[0];
    if (!r) throw new Error(`no deadline rule for stage ${stage}`);
    return r;
  }

  /** The last day of the stage's general rule in the county counted from `startDate` (a window, or a registration's due date). */
  async dueOf(stage: Stage, startDate: string, countyCode: string): Promise<DueResult & { rule: EffectiveRule }> {
    const rule = await this.generalRule(stage, countyCode);
    return { ...computeDue(await this.calendars.calendar(countyCode), startDate, rule.limitValue, rule.unit), rule };
  }

  /**
   * Ends one open clock as met on the day the step happened (`on`, not today): a notice recorded
   * today that was issued last week was on time if last week was within the limit.
   */
  async meet(m: EntityManager, caseId: number, stage: Stage, on: string): Promise<CaseDeadline | null> {
    const [clock] = (await this.open(m, caseId, [stage])).filter((d) => d.referralId === null);
    if (!clock) return null;
    clock.status = 'met';
    clock.closedAt = this.clock.now();
    clock.late = clock.dueDate ? on > clock.dueDate : null;
    return m.getRepository(CaseDeadline).save(clock);
  }

  /** Starts a clock inside the caller's write transaction. */
  async start(
    m: EntityManager,
    c: ClockCase,
    stage: Stage,
    startDate: string,
    override?: { limitValue: number; unit: Unit },
    referralId: number | null = null,
  ): Promise<CaseDeadline> {
    const row = await this.clockRow(m, c, stage, startDate, override, referralId);
    row.id = await insertClock(m, row);
    return row;
  }

  /** Several clocks of one case on their rules, inserted together (intake's two: one statement on PostgreSQL). */
  async startMany(m: EntityManager, c: ClockCase, starts: readonly { stage: Stage; startDate: string }[]): Promise<CaseDeadline[]> {
    const rows: CaseDeadline[] = [];
    for (const s of starts) rows.push(await this.clockRow(m, c, s.stage, s.startDate));
    const ids = await insertClocks(m, rows);
    rows.forEach((r, i) => (r.id = ids[i]));
    return rows;
  }

  /** A new open clock of the case on its county's rule (or the limit given), not yet stored. */
  private async clockRow(m: EntityManager, c: ClockCase, stage: Stage, startDate: string, override?: { limitValue: number; unit: Unit }, referralId: number | null = null): Promise<CaseDeadline> {
    // a case read without its county would silently get the shared rules: refused instead
    if (typeof c.countyCode !== 'string') throw new Error(`case ${c.id}: a clock needs the case's county`);
    const rule = await this.rule(stage, c.kind, c.program, c.countyCode);
    const limitValue = override?.limitValue ?? rule.limitValue;
    const unit = override?.unit ?? rule.unit;
    const due = computeDue(await this.calendars.calendar(c.countyCode), startDate, limitValue, unit);
    return m.getRepository(CaseDeadline).create({
      caseId: c.id,
      stage,
      referralId,
      startDate,
      limitValue,
      unit,
      ruleId: override ? null : rule.id,
      extension: 0,
      dueDate: due.dueDate,
      missingYear: due.missingYear,
      status: 'open',
      dueState: 'ok',
      remaining: null,
      createdAt: this.clock.now(),
      closedAt: null,
      late: null,
    });
  }

  open(m: EntityManager, caseId: number, stages?: readonly Stage[]): Promise<CaseDeadline[]> {
    return m.getRepository(CaseDeadline).find({ where: { caseId, status: 'open', ...(stages ? { stage: In(stages as Stage[]) } : {}) }, order: { id: 'ASC' } });
  }

  /** Ends open clocks: `met` records whether the stage was late; `cancelled` when it no longer applies. */
  async close(m: EntityManager, caseId: number, stages: readonly Stage[], how: 'met' | 'cancelled', referralId?: number): Promise<CaseDeadline[]> {
    const now = this.clock.now();
    const today = this.today();
    // A case's own clocks and a referral's are kept apart.
    const clocks = (await this.open(m, caseId, stages)).filter((d) => (referralId ? d.referralId === referralId : d.referralId === null));
    for (const d of clocks) {
      d.status = how;
      d.closedAt = now;
      d.late = how === 'met' && d.dueDate ? today > d.dueDate : null;
    }
    if (clocks.length) await m.getRepository(CaseDeadline).save(clocks);
    return clocks;
  }

  /** Objection pending: the county's time does not count against the township (DOMAIN §6). */
  async pause(m: EntityManager, c: Pick<ClockCase, 'id' | 'countyCode'>, stages: readonly Stage[]): Promise<CaseDeadline[]> {
    const caseId = c.id;
    const cal = await this.calendars.calendar(c.countyCode);
    const today = this.today();
    const clocks = await this.open(m, caseId, stages);
    for (const d of clocks) {
      d.status = 'paused';
      d.remaining = remainingAt(cal, d, today);
    }
    if (clocks.length) await m.getRepository(CaseDeadline).save(clocks);
    return clocks;
  }

  /** A rejected objection gives back the days the township had left, from today. */
  async resume(m: EntityManager, c: ClockCase): Promise<CaseDeadline[]> {
    const paused = await m.getRepository(CaseDeadline).find({ where: { caseId: c.id, status: 'paused' } });
    const resumed: CaseDeadline[] = [];
    for (const p of paused) {
      p.status = 'cancelled';
      p.closedAt = this.clock.now();
      resumed.push(await this.start(m, c, p.stage, this.today(), { limitValue: Math.max(p.remaining ?? 0, 1), unit: p.unit }));
    }
    if (paused.length) await m.getRepository(CaseDeadline).save(paused);
    return resumed;
  }

  async cancelPaused(m: EntityManager, caseId: number): Promise<void> {
    await m.getRepository(CaseDeadline).update({ caseId, status: 'paused' }, { status: 'cancelled', closedAt: this.clock.now() });
  }

  /** Moves an open clock by an approved extension. */
  async extend(m: EntityManager, d: CaseDeadline, by: number, countyCode: string): Promise<CaseDeadline> {
    d.extension += by;
    const due = computeDue(await this.calendars.calendar(countyCode), d.startDate, d.limitValue + d.extension, d.unit);
    d.dueDate = due.dueDate;
    d.missingYear = due.missingYear;
    d.dueState = 'ok';
    return m.getRepository(CaseDeadline).save(d);
  }

  /** The case's township deadline, its flag and any missing calendar year, from its open clocks. */
  async syncCases(m: EntityManager, caseIds: number[]): Promise<void> {
    if (!caseIds.length) return;
    await syncCaseDeadlines(m, caseIds, this.today(), this.clock.now());
  }

  /**
   * Keyset batches in id order, each in its own write so intake goes on meanwhile: `step` handles
   * the rows after `lastId` and returns the last id it read, or null when there is nothing more.
   */
  private async inBatches(step: (m: EntityManager, lastId: number) => Promise<number | null>, lastId = 0): Promise<void> {
    for (;;) {
      const last = await this.writer.write((m) => step(m, lastId));
      if (last === null) return;
      lastId = last;
      // between two batches, the requests waiting (intake, pages) go first
      await nextTurn();
    }
  }

  /**
   * Each county's calendar and rules for one recomputation, read once per county it meets (the
   * caches were dropped as it began, so it sees the change that asked for it).
   */
  private countyContext(): (countyCode: string) => Promise<{ cal: WorkCalendar; rules: Map<number, EffectiveRule> }> {
    const seen = new Map<string, Promise<{ cal: WorkCalendar; rules: Map<number, EffectiveRule> }>>();
    return (countyCode) => {
      let hit = seen.get(countyCode);
      if (!hit) {
        hit = (async () => ({ cal: await this.calendars.calendar(countyCode), rules: new Map((await this.rulesFor(countyCode)).map((r) => [r.id, r])) }))();
        seen.set(countyCode, hit);
      }
      return hit;
    };
  }

  /**
   * After a calendar or rule change: every open clock of the counties concerned (all of them for
   * a shared change, one for a county's own) computed again on its county's calendar and rules;
   * each one that moved gets a history row on its case, and the cases' deadlines follow. Batches
   * of 1,000, each its own write, the event loop free between two, so intake goes on meanwhile.
   * Started and resumed by DeadlineRecomputeService (recompute.service.ts), which saves the
   * progress with each batch.
   */
  async recomputeOpen(reason: string, actorName: string, opts: RecomputeOptions = {}): Promise<{ checked: number; changed: number; missing: number } | null> {
    this.invalidateRules();
    this.calendars.invalidate();
    const counties = opts.counties ?? null;
    const context = this.countyContext();
    const now = this.clock.now();
    let { checked, changed, missing } = opts.from ?? { checked: 0, changed: 0, missing: 0 };
    let stopped = false;
    await this.inBatches(async (m, lastId) => {
      const rows = await openClocksAfter(m, lastId, BATCH, counties);
      if (!rows.length) return null;
      // counted here, kept only once the write commits (PostgreSQL may run a write again)
      let [c, ch, mi] = [checked, changed, missing];
      const moved: ClockDue[] = [];
      const entries: NewHistoryEntry[] = [];
      const touched = new Set<number>();
      for (const r of rows) {
        c++;
        const { cal, rules } = await context(r.countyCode);
        // A clock that follows a rule takes the rule's current limit in its county; one set by hand keeps its own.
        const rule = r.ruleId ? rules.get(r.ruleId) : undefined;
        const limitValue = rule ? rule.limitValue : r.limitValue;
        const unit = rule ? rule.unit : r.unit;
        const due = computeDue(cal, r.startDate, limitValue + r.extension, unit);
        if (due.missingYear) mi++;
        if (due.dueDate === r.dueDate && due.missingYear === r.missingYear && limitValue === r.limitValue && unit === r.unit) continue;
        ch++;
        moved.push({ id: r.id, limitValue, unit, dueDate: due.dueDate, missingYear: due.missingYear });
        const note = due.dueDate
          ? `${reason}：${STAGE_LABELS[r.stage]}期限由 ${r.dueDate ?? '（无法计算）'} 改为 ${due.dueDate}`
          : `${reason}：${STAGE_LABELS[r.stage]}期限涉及 ${due.missingYear} 年，该年节假日日历尚未录入，无法计算`;
        entries.push({
          caseId: r.caseId, at: now, actorId: null, actorName, actorRole: null, type: 'deadline', action: 'recompute',
          fromStatus: r.caseStatus, toStatus: r.caseStatus, note, data: { stage: r.stage, from: r.dueDate, to: due.dueDate, missingYear: due.missingYear },
        });
        touched.add(r.caseId);
      }
      await updateClockDues(m, moved);
      await this.history.appendMany(m, entries);
      await this.syncCases(m, [...touched]);
      const next = rows[rows.length - 1].id;
      if (opts.onBatch && !(await opts.onBatch(m, { lastId: next, checked: c, changed: ch, missing: mi }))) {
        stopped = true;
        return null;
      }
      [checked, changed, missing] = [c, ch, mi];
      return rows.length < BATCH ? null : next;
    }, opts.from?.lastId ?? 0);
    if (stopped) return null;
    const settled = await this.settleClosedInGap(context, reason, actorName, counties);
    const registrations = await this.recomputeRegistrations(false, counties);
    return { checked: checked + registrations.checked, changed: changed + settled + registrations.changed, missing: missing + registrations.missing };
  }

  /**
   * 近亲属备案: the due date of each registration not yet filed (nor ended) from its appointment
   * date and the relativeRegistration rule, so a rule or calendar change moves them as it moves
   * the case clocks, each on its county's rule and calendar. `onlyUnset`: just the rows without a
   * due date (at start-up); `counties`: just those counties' registrations (null: all).
   */
  async recomputeRegistrations(onlyUnset: boolean, counties: CountyScope = null): Promise<{ checked: number; changed: number; missing: number }> {
    const context = this.countyContext();
    let checked = 0;
    let changed = 0;
    let missing = 0;
    await this.inBatches(async (m, lastId) => {
      const rows = await pendingRegistrationsAfter(m, lastId, BATCH, onlyUnset, counties);
      if (!rows.length) return null;
      const moved: { id: number; dueDate: string | null }[] = [];
      for (const r of rows) {
        checked++;
        const { cal } = await context(r.countyCode);
        const rule = await this.generalRule('relativeRegistration', r.countyCode);
        const due = computeDue(cal, r.appointedAt, rule.limitValue, rule.unit);
        if (due.missingYear) missing++;
        if (due.dueDate === r.dueDate) continue;
        changed++;
        moved.push({ id: r.id, dueDate: due.dueDate });
      }
      await updateRegistrationDues(m, moved);
      return rows.length < BATCH ? null : rows[rows.length - 1].id;
    });
    return { checked, changed, missing };
  }

  /**
   * Clocks that ended while their due date could not be computed (the year's calendar was not
   * entered) have no due date and no on-time flag; once the calendar is there they get both, so
   * the on-time figures count them. Each gets a history row on its case.
   */
  private async settleClosedInGap(
    context: (countyCode: string) => Promise<{ cal: WorkCalendar }>,
    reason: string,
    actorName: string,
    counties: CountyScope,
  ): Promise<number> {
    const now = this.clock.now();
    let settled = 0;
    await this.inBatches(async (m, lastId) => {
      const rows = await gapClocksAfter(m, lastId, BATCH, counties);
      if (!rows.length) return null;
      const settledNow: SettledClock[] = [];
      const entries: NewHistoryEntry[] = [];
      for (const r of rows) {
        const { cal } = await context(r.countyCode);
        const due = computeDue(cal, r.startDate, r.limitValue + r.extension, r.unit);
        if (!due.dueDate) continue;
        const late = shanghaiDate(fromDbDateTime(r.closedAt)) > due.dueDate;
        settledNow.push({ id: r.id, dueDate: due.dueDate, late });
        settled++;
        entries.push({
          caseId: r.caseId, at: now, actorId: null, actorName, actorRole: null, type: 'deadline', action: 'recompute',
          fromStatus: r.caseStatus, toStatus: r.caseStatus,
          note: `${reason}：${STAGE_LABELS[r.stage]}期限补算为 ${due.dueDate}，${late ? '超期完成' : '按期完成'}`,
          data: { stage: r.stage, from: null, to: due.dueDate, missingYear: null, late },
        });
      }
      await settleClocks(m, settledNow);
      await this.history.appendMany(m, entries);
      return rows.length < BATCH ? null : rows[rows.length - 1].id;
    });
    return settled;
  }
}

/**
 * What a clock has left on `today`. With its due date known: the working (or calendar) days to
 * it. Without one (the due date falls in a year whose calendar is not entered yet): the limit less
 * the days used since the start, which needs only the calendar up to today.
 */
export function remainingAt(cal: WorkCalendar, d: Pick<CaseDeadline, 'startDate' | 'limitValue' | 'extension' | 'unit' | 'dueDate'>, today: string): number {
  if (d.dueDate) {
    if (d.dueDate <= today) return 0;
    return d.unit === 'workday' ? safeBetween(cal, today, d.dueDate) : daysBetween(today, d.dueDate);
  }
  const used = d.unit === 'workday' ? safeBetween(cal, d.startDate, today) : daysBetween(d.startDate, today);
  return Math.max(0, d.limitValue + d.extension - used);
}

function safeBetween(cal: WorkCalendar, from: string, to: string): number {
  try {
    return cal.workdaysBetween(from, to);
  } catch {
    return 0;
  }
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86400_000);
}
