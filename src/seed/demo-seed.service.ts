import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthService, toAuthUser } from '../auth/auth.service';
import { DEMO_PASSWORD } from '../auth/auth.controller';
import { CaseIntakeService } from '../cases/case-intake.service';
import type { CaseStatus, Channel, CloseReason, Kind, ProblemType, Program } from '../cases/case.enums';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import type { HandOverData, TransitionEntryKind } from '../cases/history/history-entry';
import type { ActionName } from '../workflow/transitions';
import { Case } from '../cases/entities/case.entity';
import { CalendarService } from '../calendar/calendar.service';
import { dayNumber, shanghaiToday, ymdOf } from '../calendar/work-calendar';
import type { AuthUser } from '../auth/auth-user';
import { RelativeDto } from '../protection/dto/relative.dto';
import { RelativesService } from '../protection/relatives.service';
import { ReferralsService } from '../referrals/referrals.service';
import { RepeatsService } from '../repeats/repeats.service';
import { SpotChecksService, SpotResultDto } from '../spotchecks/spotchecks.service';
import { Clock } from '../common/clock';
import { shanghaiDate } from '../common/time';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';
import type { Stage } from '../deadlines/stages';
import { idCheckDigit } from '../common/identity';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DbWriter } from '../database/db-writer.service';
import { Township } from '../townships/entities/township.entity';
import { Village } from '../townships/entities/village.entity';
import { User } from '../users/entities/user.entity';
import { DEMO_PREFECTURE, DEMO_PROVINCE, DEMO_TOWNSHIPS, DEMO_USERS, GIVEN, SURNAMES, TEMPLATES } from './demo-data';
import { Region } from '../regions/entities/region.entity';
import { RegionsService } from '../regions/regions.service';
import { dibaoCasesHandedBack, helpRequestRepeats, misconductComplaints, satisfiedClosedCases } from './seed.repository';
import { WorkflowService } from '../workflow/workflow.service';
import { NOTICE_METHODS, type NoticeMethod } from '../cases/case.enums';

/** Small deterministic PRNG (mulberry32) so every demo database looks the same. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(arr: readonly T[]): T => arr[Math.floor(next() * arr.length)],
    weighted: <T>(pairs: [T, number][]): T => {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of pairs) if ((r -= w) < 0) return v;
      return pairs[pairs.length - 1][0];
    },
  };
}
export type Rng = ReturnType<typeof prng>;

export function fakeIdNumber(rng: Rng, areaCode = '141099'): string {
  const y = rng.int(1940, 2000);
  const m = String(rng.int(1, 12)).padStart(2, '0');
  const d = String(rng.int(1, 28)).padStart(2, '0');
  const first17 = `${areaCode}${y}${m}${d}${String(rng.int(0, 999)).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export function fakeMobile(rng: Rng): string {
  return `1${rng.pick(['35', '38', '39', '52', '58', '87', '36', '77', '99'])}${String(rng.int(0, 99999999)).padStart(8, '0')}`;
}

export function fakeName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

const DAY = 86400_000;

const shanghaiDay = shanghaiDate;

/** Ends a demo case's open clocks at a past moment, recording whether the stage was late. */
async function closeAt(m: EntityManager, caseId: number, stages: Stage[], when: Date): Promise<void> {
  const repo = m.getRepository(CaseDeadline);
  for (const d of await repo.findBy({ caseId, status: 'open' })) {
    if (!stages.includes(d.stage)) continue;
    d.status = 'met';
    d.closedAt = when;
    d.late = d.dueDate ? shanghaiDay(when) > d.dueDate : null;
    await repo.save(d);
  }
}
export const DEMO_CASE_COUNT = 240;

/** A reply to the reporter as a township would draft it, by kind and outcome. */
function demoReply(kind: Kind, outcome: 'true' | 'partlyTrue' | 'untrue' | 'unverifiable'): string {
  if (kind === 'helpRequest') {
    return outcome === 'untrue' || outcome === 'unverifiable'
      ? '您好，经入户调查核实，您家庭目前的收入和财产状况暂不符合申请条件。如家庭情况发生变化，可随时向乡镇（街道）重新提出申请。'
      : '您好，经入户调查核实，您家庭符合救助条件，已按程序报县民政局审批，审批通过后按月发放，请留意村（社区）公示。';
  }
  return outcome === 'true' || outcome === 'partlyTrue'
    ? '您好，您反映的问题经调查核实基本属实，已责令相关村（社区）立即整改，对违规纳入的救助对象予以清退，对相关责任人作出处理。感谢您对社会救助工作的监督。'
    : '您好，您反映的问题经调查核实，未发现违规情况，相关救助对象的认定符合政策规定。感谢您对社会救助工作的监督。';
}

/** The actions the demo walks its older cases through (history written as the workflow would). */
type DemoAction = Extract<ActionName, 'accept' | 'assign' | 'acknowledge' | 'submit' | 'approve' | 'close' | 'answer' | 'record-notice'>;

/**
 * On an empty database in demo mode (never in production), seeds 清源县: 12 townships with
 * villages, the six demo accounts and a year of realistic cases with their history.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly intake: CaseIntakeService,
    private readonly calendars: CalendarService,
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly referrals: ReferralsService,
    private readonly relatives: RelativesService,
    private readonly spotChecks: SpotChecksService,
    private readonly repeats: RepeatsService,
    private readonly history: CaseHistoryWriter,
    private readonly workflow: WorkflowService,
    private readonly regions: RegionsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const users = await this.dataSource.getRepository(User).count();
    if (users > 0) return;
    if (!this.config.demo) {
      if (this.config.nodeEnv === 'production') this.logger.warn('No users yet: create the first administrator with `npm run admin:create`.');
      return;
    }
    await this.seed(DEMO_CASE_COUNT, true);
  }

  /** `onlyIfEmpty`: at start-up, where instances starting together must seed the demo once. */
  async seed(caseCount = DEMO_CASE_COUNT, onlyIfEmpty = false): Promise<void> {
    // Reference data first: the clocks of the demo cases need the calendar and the rules.
    await this.regions.onApplicationBootstrap();
    await this.calendars.onApplicationBootstrap();
    await this.deadlines.onApplicationBootstrap();
    const passwordHash = await AuthService.hashPassword(DEMO_PASSWORD);
    const now = this.clock.now();
    let extras = '';
    let seeded = false;
    await this.writer.exclusive('seed-demo', async (m) => {
      if (onlyIfEmpty && (await m.getRepository(User).count()) > 0) return;
      seeded = true;
      const county = this.config.county!.code;
      // the demo county under its prefecture and province
      await m.getRepository(Region).upsert(
        [
          { ...DEMO_PROVINCE, level: 'province', parentCode: null, sortOrder: 0 },
          { ...DEMO_PREFECTURE, level: 'prefecture', parentCode: DEMO_PROVINCE.code, sortOrder: 0 },
        ],
        ['code'],
      );
      await m.getRepository(Region).update({ code: county }, { parentCode: DEMO_PREFECTURE.code });
      const townships = new Map<string, Township>();
      const villages = new Map<number, Village[]>();
      for (const [i, t] of DEMO_TOWNSHIPS.entries()) {
        const saved = await m.getRepository(Township).save({ code: t.code, name: t.name, countyCode: county, sortOrder: i + 1, active: true });
        townships.set(t.name, saved);
        villages.set(
          saved.id,
          await m.getRepository(Village).save(t.villages.map((name) => ({ townshipId: saved.id, name, type: name.endsWith('社区') ? '社区' : '村', active: true }))),
        );
      }
      const users = new Map<string, User>();
      for (const u of DEMO_USERS) {
        users.set(
          u.username,
          await m.getRepository(User).save({
            username: u.username,
            displayName: u.displayName,
            role: u.role,
            townshipId: u.township ? townships.get(u.township)!.id : null,
            regionCode: u.region ?? county,
            passwordHash,
            passwordChangedAt: now,
            disabled: false,
          }),
        );
      }
      await this.seedCases(m, caseCount, [...townships.values()], villages, users, now);
      // in the same transaction (the services' writes nest in it): a failure leaves no users
      // behind, so the next start seeds again instead of keeping a half-made demo
      extras = await this.seedProtectionAndChecks();
    });
    if (!seeded) return;
    this.logger.log(`Demo data seeded: ${DEMO_TOWNSHIPS.length} townships, ${DEMO_USERS.length} users, ${caseCount} cases, ${extras}.`);
  }

  /**
   * Leads referred to the demo liaison at each step, close-relative registrations, a spot check
   * and linked repeats, made through the services themselves (so their clocks, history and audit are real), so
   * that every role finds something to work on. Dated today: these services take the clock's now.
   */
  private async seedProtectionAndChecks(): Promise<string> {
    const actor = async (username: string): Promise<AuthUser> => toAuthUser(await this.dataSource.getRepository(User).findOneByOrFail({ username }), 'session');
    const supervisor = await actor('supervisor');
    const liaison = await actor('liaison');
    const candidates = await misconductComplaints(this.dataSource.manager);
    const today = shanghaiToday(this.clock.now());
    const steps: [string, Record<string, unknown>][] = [
      ['acknowledge', {}],
      ['notify-reporter', { date: today }],
      ['dispose', { disposal: 'preliminary', note: '成立初核组，调取低保评议记录' }],
      ['return-result', { resultDate: today, summary: '经初步核实，反映的优亲厚友问题属实，已对相关村干部予以诫勉谈话，违规纳入的低保已停发。' }],
      ['feedback-reporter', { date: today }],
    ];
    // the first lead waits for the liaison's signature; each later one is one or two steps further
    // (anonymous reports first: nobody is told about those)
    const stepsDone = [0, 1, 3, 5];
    for (const [i, { caseNo, reporterType }] of candidates.entries()) {
      const lead = await this.referrals.create(
        supervisor,
        caseNo,
        { source: '12345热线转办举报', mainProblem: '反映村干部在低保评议中优亲厚友、违规纳入亲属', verificationSoFar: '已调取该村近两年低保名册', handlerId: liaison.id },
        false,
      );
      for (const [action, body] of steps.slice(0, stepsDone[i])) {
        if (reporterType === 'anonymous' && action.endsWith('-reporter')) continue;
        await this.referrals.act(liaison, lead.leadNo, action, body, false);
      }
    }
    const hekou = await this.dataSource.getRepository(Township).findOneBy({ name: '河口镇' });
    const registrations: Partial<RelativeDto>[] = [
      { staffName: '郝振东', staffPost: '村委会主任', staffUnit: '河口村村委会', appointedAt: today, relativeName: '郝秀兰', relationship: '兄弟姐妹', program: 'ruralDibao' },
      { staffName: '郝振东', staffPost: '村委会主任', staffUnit: '河口村村委会', appointedAt: today, relativeName: '郝建军', relationship: '子女' },
      { staffName: '韩玉梅', staffPost: '民政办主任', staffUnit: '河口镇人民政府', appointedAt: today, relativeName: '韩德福', relationship: '父母', program: 'tekunDispersed' },
    ];
    for (const r of registrations) await this.relatives.save(supervisor, { ...r, townshipId: hekou?.id } as RelativeDto);
    const monthStart = `${today.slice(0, 8)}01`;
    const spot = await this.spotChecks.draw(supervisor, { from: ymdOf(dayNumber(monthStart)! - 92), to: today, size: 10 });
    const drawn = (await this.spotChecks.get(supervisor, spot.id)).items as { caseNo: string }[];
    const results: SpotResultDto[] = [
      { result: 'confirmed', note: '回访本人，确认已办结，满意' },
      { result: 'confirmed' },
      { result: 'problem', note: '本人称乡镇未入户核实，需督促重新核查' },
      { result: 'unreachable', note: '电话三次无人接听' },
    ];
    for (const [i, r] of results.entries()) if (drawn[i]) await this.spotChecks.record(supervisor, spot.id, drawn[i].caseNo, r);
    // 重复件: a later call about a matter already registered, by the same kind and program in the same
    // township
    const pairs = await helpRequestRepeats(this.dataSource.manager);
    const operator = await actor('operator');
    for (const p of pairs) await this.repeats.decide(operator, p.repeat, p.original, false);
    const ruleSteps = await this.seedRuleSteps(supervisor, today);
    return `${candidates.length} referred leads, ${registrations.length} relative registrations, a spot check of ${drawn.length} cases, ${pairs.length} repeats, ${ruleSteps} review and death re-check steps`;
  }

  /**
   * 复查/复核 and the death re-check through the workflow (dated today): a closed case whose reporter
   * asked for 复查, one that went on to 复核, and 低保 cases with a recipient's death recorded (one
   * re-check overdue, one running, one done), so each rule shows on a case and on the board.
   */
  private async seedRuleSteps(supervisor: AuthUser, today: string): Promise<number> {
    const day = (n: number) => ymdOf(dayNumber(today)! - n);
    // closed one to three weeks ago: the requests below (6 days ago and yesterday) came after the reply and within 30 days
    const closed = await satisfiedClosedCases(this.dataSource.manager, new Date(this.clock.now().getTime() - 20 * DAY), new Date(this.clock.now().getTime() - 7 * DAY));
    const dibao = await dibaoCasesHandedBack(this.dataSource.manager);
    const steps: [string, string, Record<string, unknown>][] = [];
    if (closed[0]) {
      steps.push([closed[0].caseNo, 'request-review', { requestDate: day(6), reason: '反映人对处理意见不服，认为其家庭收入核算有误，请求复查。' }]);
      steps.push([closed[0].caseNo, 'decide-review', { decision: 'uphold', text: '经复查，原处理意见认定事实清楚、适用政策正确，予以维持。', date: day(2) }]);
      steps.push([closed[0].caseNo, 'request-rereview', { requestDate: today, reason: '反映人对复查意见仍不服，请求复核。' }]);
    }
    if (closed[1]) steps.push([closed[1].caseNo, 'request-review', { requestDate: day(1), reason: '反映人称乡镇未入户核实，请求复查。' }]);
    const [overdue, running, done] = dibao;
    if (overdue) steps.push([overdue.caseNo, 'record-death', { deathDate: day(100), recipientName: '张桂芳' }]);
    if (running) steps.push([running.caseNo, 'record-death', { deathDate: day(20), recipientName: '李长贵' }]);
    if (done) {
      steps.push([done.caseNo, 'record-death', { deathDate: day(45), recipientName: '王秀英' }]);
      steps.push([done.caseNo, 'record-recheck', { result: 'stopped', text: '经入户复核，该户为单人户，已于次月停发低保金。', date: day(10) }]);
    }
    for (const [caseNo, action, body] of steps) await this.workflow.perform(supervisor, caseNo, action, body, false);
    return steps.length;
  }

  private async seedCases(m: EntityManager, count: number, townships: Township[], villages: Map<number, Village[]>, users: Map<string, User>, now: Date) {
    const rng = prng(20261121);
    const operator = users.get('operator')!;
    const supervisor = users.get('supervisor')!;
    const townshipUser = new Map<number, User>();
    for (const u of users.values()) if (u.townshipId) townshipUser.set(u.townshipId, u);
    const people: { name: string; phone: string; idNumber: string; townshipId: number; villageId: number; address: string }[] = [];

    const drafts = Array.from({ length: count }, () => {
      // Working hours on a weekday-ish spread over the last 12 months, newest at most 1 hour ago.
      const ageDays = Math.floor(Math.pow(rng.next(), 1.3) * 364);
      const receivedAt = new Date(now.getTime() - ageDays * DAY - rng.int(1, 8) * 3600_000 - rng.int(0, 59) * 60_000);
      return { receivedAt, ageDays };
    }).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());

    for (const { receivedAt, ageDays } of drafts) {
      const kind = rng.weighted<Kind>([
        ['helpRequest', 35],
        ['complaint', 35],
        ['consultation', 20],
        ['suggestion', 10],
      ]);
      const channel = rng.weighted<Channel>([
        ['hotline', 55],
        ['letter', 10],
        ['visit', 12],
        ['online', 12],
        ['superior', 6],
        ['inspection', 3],
        ['dataWarning', 2],
      ]);
      const tpl = rng.pick(TEMPLATES[kind]);
      const township = rng.weighted(townships.map((t, i) => [t, i < 2 ? 4 : 1] as [Township, number]));
      const village = rng.pick(villages.get(township.id)!);
      const subjectName = tpl.subjectPost ? fakeName(rng) : null;
      const content = rng
        .pick(tpl.text)
        .replace('{v}', village.name)
        .replace('{s}', subjectName ?? '')
        .replace('{n}', String(rng.int(2, 9)))
        .replace('{m}', String(rng.int(1, 12)));

      const anonymous = (kind === 'complaint' && rng.next() < 0.4) || (kind === 'suggestion' && rng.next() < 0.5) || (kind === 'consultation' && rng.next() < 0.3);
      let person = null as (typeof people)[number] | null;
      if (!anonymous) {
        if (people.length > 10 && rng.next() < 0.12) person = rng.pick(people);
        else {
          person = {
            name: fakeName(rng),
            phone: fakeMobile(rng),
            idNumber: fakeIdNumber(rng),
            townshipId: township.id,
            villageId: village.id,
            address: `${township.name}${village.name}${rng.int(1, 120)}号`,
          };
          people.push(person);
        }
      }
      const created = await this.intake.insertCase(
        m,
        {
          channel,
          kind,
          program: (tpl.program ?? 'other') as Program,
          problemTypes: (tpl.problemTypes ?? []) as ProblemType[],
          reporterType: anonymous ? 'anonymous' : 'realName',
          reporterName: person?.name ?? null,
          reporterPhone: person?.phone ?? null,
          reporterIdNumber: person && rng.next() < 0.6 ? person.idNumber : null,
          reporterAddress: person?.address ?? null,
          townshipId: person?.townshipId ?? township.id,
          villageId: person?.villageId ?? village.id,
          subjectName,
          subjectUnit: tpl.subjectPost ? `${township.name}${village.name}` : null,
          subjectPost: tpl.subjectPost ?? null,
          content,
          urgency: rng.weighted([
            ['normal', 85],
            ['urgent', 12],
            ['critical', 3],
          ]),
          receivedAt,
          countyCode: operator.regionCode,
        },
        { id: operator.id, displayName: operator.displayName, role: operator.role, via: 'session' },
        new Date(receivedAt.getTime() + rng.int(2, 15) * 60_000),
      );
      await this.progress(m, rng, created, ageDays, kind, operator, supervisor, townshipUser.get(created.townshipId!) ?? null, now);
    }
  }

  /** Walks an older case along the lifecycle so the demo shows every state with its history. */
  private async progress(m: EntityManager, rng: Rng, c: Case, ageDays: number, kind: Kind, operator: User, supervisor: User, tUser: User | null, now: Date) {
    const township = (await m.getRepository(Township).findOneBy({ id: c.townshipId! }))!;
    const townshipActor: { id: number | null; name: string; role: User['role'] } = tUser
      ? { id: tUser.id, name: tUser.displayName, role: 'township' as const }
      : { id: null, name: `${township.name}民政办`, role: 'township' as const };
    const steps: { action: DemoAction; to: CaseStatus; actor: { id: number | null; name: string; role: User['role'] }; days: number; note?: string }[] = [];
    type Actor = { id: number | null; name: string; role: User['role'] };
    const op: Actor = { id: operator.id, name: operator.displayName, role: operator.role };
    const sup: Actor = { id: supervisor.id, name: supervisor.displayName, role: supervisor.role };
    let closeReason: CloseReason | null = null;
    const noticeRng = prng(c.id * 7919 + 17);

    if (kind === 'consultation') {
      if (ageDays > 1 || rng.next() < 0.7) {
        steps.push({ action: 'answer', to: 'closed', actor: op, days: 0, note: '已当场解答政策，来电人表示清楚。' });
        closeReason = 'answered';
      }
    } else {
      const target: CaseStatus =
        ageDays > 60
          ? rng.weighted<CaseStatus>([['closed', 90], ['approved', 6], ['verifying', 4]])
          : ageDays > 20
            ? rng.weighted<CaseStatus>([['closed', 40], ['approved', 20], ['inReview', 15], ['verifying', 25]])
            : rng.weighted<CaseStatus>([['registered', 15], ['accepted', 15], ['assigned', 25], ['verifying', 35], ['inReview', 10]]);
      const order: CaseStatus[] = ['registered', 'accepted', 'assigned', 'verifying', 'inReview', 'approved', 'closed'];
      const path: [DemoAction, CaseStatus, Actor, number, string][] = [
        ['accept', 'accepted', op, 0, '符合受理条件，予以受理。'],
        // 书面告知 within a few days of acceptance; a few reporters were never told (the board shows them)
        // (drawn from a generator of their own, so the rest of the demo stays as it was)
        ...(c.reporterType !== 'anonymous' && noticeRng.next() < 0.85 ? [['record-notice', 'accepted', op, noticeRng.int(0, 4), '已向反映人书面告知受理情况。'] as [DemoAction, CaseStatus, Actor, number, string]] : []),
        ['assign', 'assigned', op, 1, `交办${township.name}核实办理。`],
        ['acknowledge', 'verifying', townshipActor, 2, '已签收。'],
        ['submit', 'inReview', townshipActor, rng.int(8, 18), '已入户核实并答复反映人，提交审核。'],
        ['approve', 'approved', sup, rng.int(1, 3), '核实材料齐全，同意办结意见。'],
        ['close', 'closed', op, rng.int(1, 4), '回访反映人，表示满意。'],
      ];
      for (const [action, to, actor, days, note] of path) {
        if (order.indexOf(to) > order.indexOf(target)) break;
        steps.push({ action, to, actor, days, note });
      }
      if (target === 'closed') closeReason = rng.next() < 0.85 ? 'satisfied' : 'basicallySatisfied';
    }

    let at = c.createdAt.getTime();
    let from: CaseStatus = c.status;
    let assignedAt: Date | null = null;
    let acknowledgedAt: Date | null = null;
    let verifiedAt: Date | null = null;
    let approvedAt: Date | null = null;
    let notice: { method: NoticeMethod; date: string } | null = null;
    for (const s of steps) {
      at = Math.min(at + s.days * DAY + (s.action === 'record-notice' ? noticeRng : rng).int(10, 300) * 60_000, now.getTime() - 60_000);
      const when = new Date(at);
      const day = shanghaiDay(when);
      // The same clocks the workflow starts and stops, at the historical times.
      if (s.action === 'accept') {
        await this.deadlines.start(m, c, 'overall', day);
        await closeAt(m, c.id, ['countyAccept'], when);
        await this.deadlines.start(m, c, 'countyAssign', day);
      }
      if (s.action === 'answer') {
        await closeAt(m, c.id, ['countyAccept'], when);
        await m.getRepository(CaseDeadline).update({ caseId: c.id, stage: 'receiptNotice', status: 'open' }, { status: 'cancelled', closedAt: when });
      }
      let kind: TransitionEntryKind = { type: 'transition', action: s.action as Exclude<DemoAction, 'assign' | 'record-notice'>, data: null };
      if (s.action === 'record-notice') {
        const [clock] = await m.getRepository(CaseDeadline).findBy({ caseId: c.id, stage: 'receiptNotice', status: 'open' });
        notice = { method: noticeRng.pick(NOTICE_METHODS as unknown as NoticeMethod[]), date: day };
        await closeAt(m, c.id, ['receiptNotice'], when);
        const late = !!clock?.dueDate && day > clock.dueDate;
        kind = { type: 'transition', action: 'record-notice', data: { kind: 'acceptance', method: notice.method, date: day, late, dueDate: clock?.dueDate ?? null } };
      }
      if (s.action === 'assign') {
        assignedAt = when;
        await closeAt(m, c.id, ['countyAssign'], when);
        const ack = await this.deadlines.start(m, c, 'acknowledge', day);
        const verify = await this.deadlines.start(m, c, 'verify', day);
        const data: HandOverData = { how: 'assign', townshipId: township.id, townshipName: township.name, acknowledgeDue: ack.dueDate, verifyDue: verify.dueDate };
        kind = { type: 'transition', action: 'assign', data };
      }
      if (s.action === 'acknowledge') {
        acknowledgedAt = when;
        await closeAt(m, c.id, ['acknowledge'], when);
      }
      if (s.action === 'submit') {
        verifiedAt = when;
        await closeAt(m, c.id, ['verify'], when);
      }
      if (s.action === 'approve') {
        approvedAt = when;
        await closeAt(m, c.id, ['overall'], when);
      }
      await this.history.append(m, {
        ...kind,
        caseId: c.id,
        at: new Date(at),
        actorId: s.actor.id,
        actorName: s.actor.name,
        actorRole: s.actor.role,
        fromStatus: from,
        toStatus: s.to,
        note: s.note ?? null,
      });
      from = s.to;
    }
    if (steps.length) {
      const outcome = verifiedAt ? rng.weighted<'true' | 'partlyTrue' | 'untrue' | 'unverifiable'>([['true', 25], ['partlyTrue', 20], ['untrue', 45], ['unverifiable', 10]]) : null;
      // the township's draft reply on submitting, approved as it is by the county
      const reply = verifiedAt && c.reporterType !== 'anonymous' ? demoReply(kind, outcome!) : null;
      await m.getRepository(Case).update(
        { id: c.id },
        {
          replyDraft: reply,
          replyText: approvedAt ? reply : null,
          replyApprovedAt: approvedAt && reply ? approvedAt : null,
          status: from,
          assignedAt,
          acknowledgedAt,
          verifiedAt,
          feedbackAt: verifiedAt,
          verificationOutcome: outcome,
          callbackResult: from === 'closed' && closeReason !== 'answered' ? (closeReason as 'satisfied' | 'basicallySatisfied') : null,
          callbackAttempts: from === 'closed' && closeReason !== 'answered' ? 1 : 0,
          closedAt: from === 'closed' ? new Date(at) : null,
          closeReason: from === 'closed' ? closeReason : null,
          ...(notice ? { receiptNoticeKind: 'acceptance' as const, receiptNoticeMethod: notice.method, receiptNoticeDate: notice.date } : {}),
          updatedAt: new Date(at),
        },
      );
      if (from === 'closed') await closeAt(m, c.id, ['acknowledge', 'verify', 'overall'], new Date(at));
      await this.deadlines.syncCases(m, [c.id]);
    }
  }
}
