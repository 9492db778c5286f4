/**
 * Code words of DOMAIN §3 with the Chinese labels users see. The code word is what is stored and
 * what the API speaks; the label is only for display. Order here is the order in forms.
 */
type Labels<T extends string> = Readonly<Record<T, string>>;

export const CHANNELS = ['hotline', 'letter', 'visit', 'online', 'superior', 'inspection', 'dataWarning'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Labels<Channel> = {
  hotline: '热线电话',
  letter: '来信',
  visit: '来访',
  online: '网上留言',
  superior: '上级交办',
  inspection: '巡视巡察/审计移交',
  dataWarning: '数据比对预警',
};

export const KINDS = ['helpRequest', 'complaint', 'consultation', 'suggestion'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Labels<Kind> = {
  helpRequest: '求助申请',
  complaint: '投诉举报',
  consultation: '政策咨询',
  suggestion: '意见建议',
};

export const PROGRAMS = [
  'urbanDibao',
  'ruralDibao',
  'tekunCentralized',
  'tekunDispersed',
  'temporaryAssistance',
  'dibaoEdge',
  'expenditureHardship',
  'other',
] as const;
export type Program = (typeof PROGRAMS)[number];
export const PROGRAM_LABELS: Labels<Program> = {
  urbanDibao: '城市低保',
  ruralDibao: '农村低保',
  tekunCentralized: '特困供养（集中）',
  tekunDispersed: '特困供养（分散）',
  temporaryAssistance: '临时救助',
  dibaoEdge: '低保边缘家庭',
  expenditureHardship: '支出型困难家庭',
  other: '其他',
};

/** DOMAIN §4. The first four are misconduct: a complaint with one of them is a candidate lead. */
export const PROBLEM_TYPES = [
  'favouritism',
  'bribery',
  'opaqueHandling',
  'embezzlement',
  'excluded',
  'wronglyIncluded',
  'paidAfterDeathOrPrison',
  'latePayment',
  'overdueHandling',
  'singlePersonEnrolment',
  'duplicateEnrolment',
  'privacyLeak',
  'attitude',
  'other',
] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];
export const PROBLEM_TYPE_LABELS: Labels<ProblemType> = {
  favouritism: '人情保/关系保/优亲厚友',
  bribery: '吃拿卡要/索要辛苦费/宴请礼品',
  opaqueHandling: '暗箱操作',
  embezzlement: '贪污侵占/虚报冒领/截留私分',
  excluded: '应保未保/漏保',
  wronglyIncluded: '错保',
  paidAfterDeathOrPrison: '死亡或服刑人员仍领取',
  latePayment: '未按时足额发放',
  overdueHandling: '超时限办理/未书面告知',
  singlePersonEnrolment: '单人保代替整户保',
  duplicateEnrolment: '重复纳入',
  privacyLeak: '公示泄露隐私',
  attitude: '工作作风（推诿扯皮、脸难看、话难听）',
  other: '其他',
};
export const MISCONDUCT_PROBLEM_TYPES: readonly ProblemType[] = ['favouritism', 'bribery', 'opaqueHandling', 'embezzlement'];

export const REPORTER_TYPES = ['realName', 'anonymous'] as const;
export type ReporterType = (typeof REPORTER_TYPES)[number];
export const REPORTER_TYPE_LABELS: Labels<ReporterType> = { realName: '实名', anonymous: '匿名' };

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Labels<Urgency> = { normal: '一般', urgent: '紧急', critical: '特急' };

/**
 * DOMAIN §5 states. The transitions between them are the workflow's table (issue: township
 * workflow); intake only ever creates `registered` cases.
 */
export const CASE_STATUSES = [
  'registered',
  'accepted',
  'assigned',
  'verifying',
  'objecting',
  'inReview',
  'approved',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Labels<CaseStatus> = {
  registered: '已登记',
  accepted: '已受理',
  assigned: '已交办',
  verifying: '核实中',
  objecting: '异议待定',
  inReview: '待审核',
  approved: '已反馈待回访',
  closed: '已办结',
};

export const CLOSE_REASONS = ['answered', 'notAccepted', 'satisfied', 'basicallySatisfied', 'unreachable', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const CLOSE_REASON_LABELS: Labels<CloseReason> = {
  answered: '当场解答',
  notAccepted: '不予受理',
  satisfied: '回访满意',
  basicallySatisfied: '回访基本满意',
  unreachable: '回访无法联系',
  other: '其他',
};

export const VERIFICATION_OUTCOMES = ['true', 'partlyTrue', 'untrue', 'unverifiable'] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];
export const VERIFICATION_OUTCOME_LABELS: Labels<VerificationOutcome> = {
  true: '属实',
  partlyTrue: '部分属实',
  untrue: '不属实',
  unverifiable: '无法核实',
};

export function options<T extends string>(values: readonly T[], labels: Labels<T>) {
  return values.map((value) => ({ value, label: labels[value] }));
}

export const CALLBACK_RESULTS = ['satisfied', 'basicallySatisfied', 'dissatisfied', 'unreachable'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];
export const CALLBACK_RESULT_LABELS: Labels<CallbackResult> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
  unreachable: '无法联系',
};

export const VERIFY_METHODS = ['homeVisit', 'neighbourVisit', 'recordsCheck', 'dataComparison', 'phoneCheck', 'meeting'] as const;
export type VerifyMethod = (typeof VERIFY_METHODS)[number];
export const VERIFY_METHOD_LABELS: Labels<VerifyMethod> = {
  homeVisit: '入户调查',
  neighbourVisit: '邻里走访',
  recordsCheck: '查阅档案',
  dataComparison: '信息比对',
  phoneCheck: '电话核实',
  meeting: '召开评议会',
};

export const FEEDBACK_METHODS = ['phone', 'inPerson', 'writing', 'sms'] as const;
export type FeedbackMethod = (typeof FEEDBACK_METHODS)[number];
export const FEEDBACK_METHOD_LABELS: Labels<FeedbackMethod> = { phone: '电话', inPerson: '当面', writing: '书面', sms: '短信' };

/** 书面告知: which notice the reporter got (受理告知 or 不予受理告知, the latter with its reason). */
export const NOTICE_KINDS = ['acceptance', 'nonAcceptance'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_KIND_LABELS: Labels<NoticeKind> = { acceptance: '受理告知', nonAcceptance: '不予受理告知' };

/** How the written notice reached the reporter. */
export const NOTICE_METHODS = ['inPerson', 'mail', 'posted', 'sms'] as const;
export type NoticeMethod = (typeof NOTICE_METHODS)[number];
export const NOTICE_METHOD_LABELS: Labels<NoticeMethod> = { inPerson: '当面送达/打印交付', mail: '邮寄', posted: '张贴', sms: '短信' };

/** 复查/复核 of a closed case (《信访工作条例》第三十五条、第三十六条): where the case stands. */
export const REVIEW_STATES = ['reviewRequested', 'reviewDecided', 'rereviewRequested', 'rereviewDecided'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_STATE_LABELS: Labels<ReviewState> = {
  reviewRequested: '复查中',
  reviewDecided: '已复查',
  rereviewRequested: '复核中',
  rereviewDecided: '已复核',
};

export const REVIEW_DECISIONS = ['uphold', 'revoke', 'alter'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_DECISION_LABELS: Labels<ReviewDecision> = { uphold: '维持', revoke: '撤销', alter: '变更' };

/** 低保对象死亡后家庭复核: what the household re-check found. */
export const RECHECK_RESULTS = ['noChange', 'adjustAmount', 'stopped', 'other'] as const;
export type RecheckResult = (typeof RECHECK_RESULTS)[number];
export const RECHECK_RESULT_LABELS: Labels<RecheckResult> = { noChange: '家庭情况无变化', adjustAmount: '调整保障金额', stopped: '停保', other: '其他' };

/** Programs whose recipients' deaths start the household re-check (seed 000: 低保对象). */
export const DEATH_RECHECK_PROGRAMS = ['urbanDibao', 'ruralDibao'] as const;
