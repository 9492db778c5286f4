import type { Unit } from '../../calendar/work-calendar';
import { STAGE_LABELS, Stage } from '../../deadlines/stages';
import type { Disposal } from '../../referrals/entities/referral.entity';
import { DISPOSAL_LABELS, REFERRAL_ACTIONS, ReferralAction } from '../../referrals/referral.labels';
import { REGION_LEVEL_LABELS } from '../../regions/entities/region.entity';
import type { Role } from '../../users/role';
import { TRANSITION_BY_ACTION, type ActionName } from '../../workflow/transitions';
import {
  CALLBACK_RESULT_LABELS,
  CHANNEL_LABELS,
  FEEDBACK_METHOD_LABELS,
  NOTICE_KIND_LABELS,
  NOTICE_METHOD_LABELS,
  RECHECK_RESULT_LABELS,
  REVIEW_DECISION_LABELS,
  VERIFICATION_OUTCOME_LABELS,
  type CallbackResult,
  type NoticeKind,
  type NoticeMethod,
  type RecheckResult,
  type ReviewDecision,
  type CaseStatus,
  type Channel,
  type FeedbackMethod,
  type Kind,
  type VerificationOutcome,
  type VerifyMethod,
} from '../case.enums';
import type { HistoryType } from '../entities/case-history.entity';

/*
 * The entry types of the whole-process record (全过程资料), as Vendure's HistoryEntry: each kind
 * is a (type, action) pair with its own data. The data is the record an inspector reads back, so
 * the shapes only ever grow: rows written by earlier releases keep the fields they had, and every
 * reader (titles, print, lookup, reports) treats a field as possibly missing.
 */

/** created: intake, the API or the demo. */
export interface CreatedData {
  channel: Channel;
  kind: Kind;
  via: 'session' | 'token' | 'seed';
}

/** assign, and decide-objection with "reassign": the township and the clocks it got. */
export interface HandOverData {
  how: 'assign' | 'reassign';
  townshipId: number;
  townshipName: string;
  acknowledgeDue: string | null;
  verifyDue: string | null;
}

export interface ObjectData {
  suggestedTownshipId: number | null;
}

export type DecideObjectionData = { decision: 'keep' } | ({ decision: 'reassign' } & HandOverData);

/** The township's verification as entered. Reports read `visitDate` and `methods` in SQL (reports/reports.repository.ts). */
export interface VerifyData {
  investigators: string[];
  visitDate: string;
  methods: VerifyMethod[];
  findings: string;
  outcome: VerificationOutcome;
}

/** The reply to the reporter. The public lookup and the printed reply read `content`. */
export interface FeedbackData {
  method: FeedbackMethod;
  date: string;
  content: string;
}

/** 补充核实情况 after a send-back: the findings added, and the conclusion if it changed. */
export interface SupplementData {
  findings: string;
  outcome: VerificationOutcome | null;
}

/** 县级答复反映人: how and when the county told a withheld reporter the approved reply. */
/**
 * 督办 from above the county (a prefecture's or province's supervisor): by which level and region.
 * A county supervisor's 督办 records no data (null), as before.
 */
export interface UrgeData {
  level: 'prefecture' | 'province';
  regionCode: string;
  regionName: string;
}

export interface CountyReplyData {
  method: FeedbackMethod;
  date: string;
}

export interface SendBackData {
  redoDue: string | null;
}

export interface RequestExtensionData {
  days: number;
  stage: Stage;
  dueDate: string | null;
  /** Since the history module; earlier rows were always working days. */
  unit?: Unit;
}

export type DecideExtensionData =
  | { decision: 'refuse'; asked: number }
  | { decision: 'approve'; asked: number; days: number; from?: string | null; to?: string | null; unit?: Unit };

/** Reports read `visitDate` in SQL (reports/reports.repository.ts). */
export interface CountyVisitData {
  visitors: string[];
  visitDate: string;
  findings: string;
}

export interface CallbackData {
  result: CallbackResult;
  attempt?: number;
  redoDue?: string | null;
}

/** 提交审核: the township's draft of the reply to the reporter (none for an anonymous report). */
export interface SubmitData {
  replyDraft: string;
}

/** 审核通过: the reply to the reporter the county approved, and whether it changed the draft. */
export interface ApproveData {
  replyText: string;
  edited: boolean;
}

/** 记录书面告知: which notice, how, on which day, whether within the 15 days, and a refusal's reason. */
export interface NoticeData {
  kind: NoticeKind;
  method: NoticeMethod;
  date: string;
  late: boolean;
  dueDate: string | null;
  reason?: string;
}

/** 登记复查申请 / 登记复核申请: the day the request came in, the window it was within, the decision's due date. */
export interface ReviewRequestData {
  requestDate: string;
  windowEnd: string | null;
  dueDate: string | null;
}

/** 记录复查意见 / 记录复核意见. */
export interface ReviewDecisionData {
  decision: ReviewDecision;
  text: string;
  date: string;
  late: boolean;
}

/** 记录低保对象死亡: the day of death and the household re-check's due date. */
export interface DeathData {
  deathDate: string;
  recipientName?: string;
  recheckDue: string | null;
}

/** 记录死亡后家庭复核. */
export interface RecheckData {
  result: RecheckResult;
  text: string;
  date: string;
  late: boolean;
}

/** Data per workflow action; `null` where the note says it all. Keys: exactly the lifecycle's actions. */
export interface TransitionData {
  accept: null;
  'not-accept': null;
  answer: null;
  assign: HandOverData;
  acknowledge: null;
  object: ObjectData;
  'decide-objection': DecideObjectionData;
  verify: VerifyData;
  supplement: SupplementData;
  feedback: FeedbackData;
  submit: SubmitData | null;
  approve: ApproveData | null;
  'send-back': SendBackData;
  'request-extension': RequestExtensionData;
  'decide-extension': DecideExtensionData;
  'county-visit': CountyVisitData;
  'county-reply': CountyReplyData;
  callback: CallbackData;
  urge: UrgeData | null;
  close: null;
  reopen: null;
  'record-notice': NoticeData;
  'request-review': ReviewRequestData;
  'decide-review': ReviewDecisionData;
  'request-rereview': ReviewRequestData;
  'decide-rereview': ReviewDecisionData;
  'record-death': DeathData;
  'record-recheck': RecheckData;
}

export interface RepeatData {
  otherCaseNo: string;
}

export interface ReferralData {
  leadNo: string;
  /** dispose only, since the history module. */
  disposal?: Disposal;
}

export interface DisclosureData {
  townshipId: number;
  townshipName: string;
}

/**
 * 催办: the reporter called (wrote, came) again to chase an open case, logged on that case instead
 * of a new one. The time is the entry's; what the caller said is its note. `count` is this chase's
 * number on the case (1 for the first).
 */
export interface ChaseData {
  channel: Channel;
  count: number;
}

/** Things recorded on a case that do not move it (type 'note'). */
export interface NoteData {
  'link-repeat': RepeatData;
  'dismiss-repeat': RepeatData;
  'unlink-repeat': null;
  refer: ReferralData;
  'referral-acknowledge': ReferralData;
  'referral-dispose': ReferralData;
  'referral-return-result': ReferralData;
  'referral-notify-reporter': ReferralData;
  'referral-feedback-reporter': ReferralData;
  'disclose-reporter': DisclosureData;
  /** The county gave the reporter a new query code; the old one stopped working. The code itself is never recorded. */
  'reissue-query-code': null;
  chase: ChaseData;
}

export interface OverdueData {
  stage: Stage;
  dueDate: string;
  deadlineId: number;
}

export interface RecomputeData {
  stage: Stage;
  from: string | null;
  to: string | null;
  missingYear: number | null;
  /** A clock that ended during a calendar gap, settled later: whether it had ended late. */
  late?: boolean;
}

export interface DeadlineData {
  overdue: OverdueData;
  recompute: RecomputeData;
}

export interface FieldsChangedData {
  changes: { field: string; from: unknown; to: unknown }[];
}

type Kinds<T extends HistoryType, M> = { [A in keyof M & string]: { type: T; action: A; data: M[A] } }[keyof M & string];

/** Every kind of entry: the type and action decide the data. */
export type HistoryEntryKind =
  | { type: 'created'; action: null; data: CreatedData }
  | { type: 'fieldsChanged'; action: null; data: FieldsChangedData }
  | Kinds<'transition', TransitionData>
  | Kinds<'note', NoteData>
  | Kinds<'deadline', DeadlineData>;

export type TransitionEntryKind = Kinds<'transition', TransitionData>;

/** What a writer hands to CaseHistoryWriter: the row without id and chain fields. */
export type NewHistoryEntry = HistoryEntryKind & {
  caseId: number;
  at: Date;
  actorId: number | null;
  actorName: string;
  actorRole: Role | null;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  note: string | null;
};

/** Actor fields of an entry from a signed-in user. */
export function actorFields(u: { id: number; displayName: string; role: Role }) {
  return { actorId: u.id, actorName: u.displayName, actorRole: u.role };
}

// Compile-time: the transition kinds are exactly the lifecycle table's actions, and the
// referral notes exactly the referral's actions, so a new action cannot be written untyped.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const transitionKindsMatchActions: Same<keyof TransitionData, ActionName> = true;
const referralNotesMatchActions: Same<Extract<keyof NoteData, `referral-${string}`>, `referral-${ReferralAction}`> = true;
void transitionKindsMatchActions;
void referralNotesMatchActions;

/** A stored row as the timeline reads it; data of rows from earlier releases may lack fields. */
export interface StoredEntry {
  type: string;
  action: string | null;
  data: Record<string, unknown> | null;
}

type Loose<D> = D extends null ? null : { [K in keyof D]?: D[K] } | null;
type TitleFn<D> = (data: Loose<D>) => string;
type TitleTable<M> = { [A in keyof M]: TitleFn<M[A]> };

const unitText = (u: Unit | undefined) => (u === 'day' ? '日' : '工作日');
const label = (a: ActionName) => TRANSITION_BY_ACTION.get(a)!.label;
const lead = (d: { leadNo?: string } | null) => (d?.leadNo ? `（${d.leadNo}）` : '');

/*
 * The timeline's title of each kind, as data: one function per (type, action), checked complete by
 * the compiler. A title says what happened in the words of the record (交办城关镇, 核实：属实), the
 * note below it says the rest.
 */
const TRANSITION_TITLES: TitleTable<TransitionData> = {
  accept: () => '受理',
  'not-accept': () => '不予受理',
  answer: () => '当场解答',
  assign: (d) => (d?.townshipName ? `交办${d.townshipName}` : label('assign')),
  acknowledge: () => '签收',
  object: () => '乡镇提出异议',
  'decide-objection': (d) =>
    d?.decision === 'reassign' ? `异议处理：改派${(d as Partial<HandOverData>).townshipName ?? '其他乡镇'}` : d?.decision === 'keep' ? '异议处理：维持交办' : label('decide-objection'),
  verify: (d) => (d?.outcome && VERIFICATION_OUTCOME_LABELS[d.outcome] ? `核实：${VERIFICATION_OUTCOME_LABELS[d.outcome]}` : label('verify')),
  supplement: (d) => (d?.outcome && VERIFICATION_OUTCOME_LABELS[d.outcome] ? `补充核实：${VERIFICATION_OUTCOME_LABELS[d.outcome]}` : '补充核实情况'),
  feedback: (d) => (d?.method && FEEDBACK_METHOD_LABELS[d.method] ? `答复反映人（${FEEDBACK_METHOD_LABELS[d.method]}）` : label('feedback')),
  submit: () => '提交审核',
  approve: () => '审核通过',
  'send-back': () => '退回重办',
  'request-extension': (d) => (d?.days ? `延期申请 ${d.days} 个${unitText(d.unit)}` : label('request-extension')),
  'decide-extension': (d) =>
    d?.decision === 'refuse'
      ? '不同意延期'
      : d?.decision === 'approve'
        ? (d as { days?: number }).days
          ? `同意延期 ${(d as { days: number }).days} 个${unitText((d as { unit?: Unit }).unit)}`
          : '同意延期'
        : label('decide-extension'),
  'county-visit': () => '县级入户核查',
  'county-reply': (d) => (d?.method && FEEDBACK_METHOD_LABELS[d.method] ? `县级答复反映人（${FEEDBACK_METHOD_LABELS[d.method]}）` : label('county-reply')),
  callback: (d) => {
    const r = d?.result && CALLBACK_RESULT_LABELS[d.result];
    if (!r) return label('callback');
    return d!.result === 'unreachable' && d!.attempt ? `回访：${r}（第 ${d!.attempt} 次）` : `回访：${r}`;
  },
  urge: (d) => (d?.level && REGION_LEVEL_LABELS[d.level] ? `${REGION_LEVEL_LABELS[d.level]}督办（${d.regionName ?? ''}）` : '督办'),
  close: () => '办结',
  reopen: () => '重新办理',
  'record-notice': (d) =>
    d?.kind && NOTICE_KIND_LABELS[d.kind] ? `书面告知：${NOTICE_KIND_LABELS[d.kind]}${d.method && NOTICE_METHOD_LABELS[d.method] ? `（${NOTICE_METHOD_LABELS[d.method]}）` : ''}` : label('record-notice'),
  'request-review': () => '申请复查',
  'decide-review': (d) => (d?.decision && REVIEW_DECISION_LABELS[d.decision] ? `复查意见：${REVIEW_DECISION_LABELS[d.decision]}` : label('decide-review')),
  'request-rereview': () => '申请复核',
  'decide-rereview': (d) => (d?.decision && REVIEW_DECISION_LABELS[d.decision] ? `复核意见：${REVIEW_DECISION_LABELS[d.decision]}` : label('decide-rereview')),
  'record-death': () => '低保对象死亡',
  'record-recheck': (d) => (d?.result && RECHECK_RESULT_LABELS[d.result] ? `死亡后家庭复核：${RECHECK_RESULT_LABELS[d.result]}` : label('record-recheck')),
};

const referralStep = (a: ReferralAction): TitleFn<ReferralData> => (d) => `线索${REFERRAL_ACTIONS[a].label}${lead(d)}`;

const NOTE_TITLES: TitleTable<NoteData> = {
  'link-repeat': (d) => `标记为重复件${d?.otherCaseNo ? `（${d.otherCaseNo}）` : ''}`,
  'dismiss-repeat': (d) => `不是重复件${d?.otherCaseNo ? `（${d.otherCaseNo}）` : ''}`,
  'unlink-repeat': () => '取消重复件标记',
  refer: (d) => `线索移交${lead(d)}`,
  'referral-acknowledge': referralStep('acknowledge'),
  'referral-dispose': (d) => (d?.disposal ? `线索处置：${DISPOSAL_LABELS[d.disposal]}${lead(d)}` : `线索处置${lead(d)}`),
  'referral-return-result': referralStep('return-result'),
  'referral-notify-reporter': () => REFERRAL_ACTIONS['notify-reporter'].label,
  'referral-feedback-reporter': () => REFERRAL_ACTIONS['feedback-reporter'].label,
  'disclose-reporter': (d) => `披露举报人${d?.townshipName ? `（向${d.townshipName}）` : ''}`,
  'reissue-query-code': () => '重新发放查询码',
  chase: (d) => {
    const parts = [d?.channel && CHANNEL_LABELS[d.channel], d?.count ? `第 ${d.count} 次` : null].filter(Boolean);
    return `反映人催办${parts.length ? `（${parts.join('，')}）` : ''}`;
  },
};

const stageText = (s: Stage | undefined) => (s && STAGE_LABELS[s] ? `（${STAGE_LABELS[s]}）` : '');

const DEADLINE_TITLES: TitleTable<DeadlineData> = {
  overdue: (d) => `超期${stageText(d?.stage)}`,
  recompute: (d) => `期限调整${stageText(d?.stage)}`,
};

/** The timeline's title of one entry. Unknown kinds (a later release's, read by an older one) get a plain word. */
export function historyTitle(e: StoredEntry): string {
  const data = e.data as never;
  switch (e.type) {
    case 'created': {
      const channel = (e.data as Partial<CreatedData> | null)?.channel;
      return channel && CHANNEL_LABELS[channel] ? `登记（${CHANNEL_LABELS[channel]}）` : '登记';
    }
    case 'fieldsChanged':
      return '修改登记信息';
    case 'transition': {
      const f = TRANSITION_TITLES[e.action as ActionName];
      return f ? f(data) : '办理';
    }
    case 'note': {
      const f = NOTE_TITLES[e.action as keyof NoteData];
      return f ? f(data) : '备注';
    }
    case 'deadline': {
      const f = DEADLINE_TITLES[e.action as keyof DeadlineData];
      return f ? f(data) : '期限';
    }
    default:
      return '记录';
  }
}

/** Every (type, action) the writer accepts, for tests and the verifier's report. */
export const ENTRY_KINDS: readonly { type: HistoryType; action: string | null }[] = [
  { type: 'created', action: null },
  { type: 'fieldsChanged', action: null },
  ...Object.keys(TRANSITION_TITLES).map((action) => ({ type: 'transition' as const, action })),
  ...Object.keys(NOTE_TITLES).map((action) => ({ type: 'note' as const, action })),
  ...Object.keys(DEADLINE_TITLES).map((action) => ({ type: 'deadline' as const, action })),
];
