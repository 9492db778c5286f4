import type { Unit } from '../calendar/work-calendar';
import type { Kind, Program } from '../cases/case.enums';

/** The clocks of DOMAIN §6. Each runs on its own and has its own rules. */
export const STAGES = [
  'acknowledge',
  'objection',
  'verify',
  'redo',
  'overall',
  'receiptNotice',
  'review',
  'realNameAcceptance',
  'realNameResult',
  'liaisonAcknowledge',
  'deathRecheck',
  'relativeRegistration',
  'rereview',
  'reviewRequest',
  'countyAccept',
  'countyAssign',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  acknowledge: '乡镇签收',
  objection: '乡镇提出异议',
  verify: '核实反馈',
  redo: '退回重办',
  overall: '信访事项办理（总时限）',
  receiptNotice: '书面告知受理',
  review: '复查',
  realNameAcceptance: '实名举报受理告知',
  realNameResult: '实名举报结果反馈',
  liaisonAcknowledge: '纪检联络员签收线索',
  deathRecheck: '低保对象死亡后家庭复核',
  relativeRegistration: '近亲属备案',
  rereview: '复核',
  reviewRequest: '申请复查、复核',
  countyAccept: '县级受理',
  countyAssign: '县级交办',
};

/** Clocks of a referred lead (the liaison's and the real-name reporter's): never shown to township staff. */
export const REFERRAL_STAGES: readonly Stage[] = ['liaisonAcknowledge', 'realNameAcceptance', 'realNameResult'];

/** Clocks that run against the township (shown in its inbox; time with the county does not count). */
export const TOWNSHIP_STAGES: readonly Stage[] = ['acknowledge', 'verify', 'redo'];

/** The county's own steps before the hand-over: a case left 已登记 or 已受理 is due for acceptance and assignment. */
export const COUNTY_STAGES: readonly Stage[] = ['countyAccept', 'countyAssign'];

/**
 * The clocks a case's timeliness is judged by (dashboard on-time rate, the ledger's 是否按期): the
 * township's, and the county's before the hand-over, so a case left unaccepted counts as late too.
 */
export const ON_TIME_STAGES: readonly Stage[] = [...COUNTY_STAGES, ...TOWNSHIP_STAGES];

/**
 * Rules that never start a clock of their own but bound an input: the window in which a reporter
 * may ask for 复查 after the reply, or for 复核 after the review decision.
 */
export const WINDOW_STAGES: readonly Stage[] = ['reviewRequest'];

export interface RuleSeed {
  stage: Stage;
  kind: Kind | null;
  program: Program | null;
  limitValue: number;
  unit: Unit;
  maxExtension: number;
  source: string;
}

/** 《信访工作条例》第二十三条: 不能当场告知的，自收到之日起15日内书面告知，姓名、住址不清的除外 (so never for anonymous reporters). */
export const RECEIPT_NOTICE_SOURCE = '《信访工作条例》第二十二条、第二十三条：自收到信访事项之日起15日内书面告知信访人（姓名、住址不清的除外）';
export const REVIEW_SOURCE = '《信访工作条例》第三十五条：收到复查请求之日起30日内提出复查意见';

const wd = 'workday' as const;
const d = 'day' as const;

/**
 * Default rules (DOMAIN §6 with its sources). The most specific matching rule wins: kind and
 * program, then kind, then the stage's default. The administrator edits them on the rules page.
 */
export const DEFAULT_RULES: RuleSeed[] = [
  { stage: 'acknowledge', kind: null, program: null, limitValue: 2, unit: wd, maxExtension: 0, source: '《整治社会救助不到位工作方案》：受理不超过2个工作日' },
  { stage: 'objection', kind: null, program: null, limitValue: 5, unit: wd, maxExtension: 0, source: '《信访工作条例》第二十三条：不属于本机关职责范围的，应在5个工作日内告知' },
  { stage: 'verify', kind: 'helpRequest', program: 'urbanDibao', limitValue: 25, unit: wd, maxExtension: 10, source: '《整治社会救助不到位工作方案》：低保审核确认25个工作日；延期为县局默认' },
  { stage: 'verify', kind: 'helpRequest', program: 'ruralDibao', limitValue: 25, unit: wd, maxExtension: 10, source: '《整治社会救助不到位工作方案》：低保审核确认25个工作日；延期为县局默认' },
  { stage: 'verify', kind: 'helpRequest', program: 'dibaoEdge', limitValue: 25, unit: wd, maxExtension: 10, source: '《整治社会救助不到位工作方案》：低保边缘家庭25个工作日；延期为县局默认' },
  { stage: 'verify', kind: 'helpRequest', program: 'temporaryAssistance', limitValue: 20, unit: wd, maxExtension: 10, source: '《整治社会救助不到位工作方案》：临时救助20个工作日；延期为县局默认' },
  { stage: 'verify', kind: 'helpRequest', program: 'tekunCentralized', limitValue: 30, unit: wd, maxExtension: 10, source: '《整治社会救助不到位工作方案》：特困人员认定30个工作日；延期为县局默认' },
  { stage: 'verify', kind: 'helpRequest', program: 'tekunDispersed', limitValue: 30, unit: wd, maxExtension: 10, source: '《整治社会救助不到位工作方案》：特困人员认定30个工作日；延期为县局默认' },
  { stage: 'verify', kind: 'complaint', program: null, limitValue: 30, unit: wd, maxExtension: 15, source: '社会救助投诉举报办理规定：30个工作日内办结，情况复杂的可延长至45个工作日' },
  { stage: 'verify', kind: null, program: null, limitValue: 30, unit: wd, maxExtension: 10, source: '县局默认（无专门规定的事项），总时限仍受《信访工作条例》第三十四条60日约束' },
  { stage: 'redo', kind: null, program: null, limitValue: 10, unit: wd, maxExtension: 5, source: '县局默认：退回重办给予新的乡镇办理时限，10个工作日' },
  { stage: 'overall', kind: null, program: null, limitValue: 60, unit: d, maxExtension: 30, source: '《信访工作条例》第三十四条：60日内办结，延长不超过30日' },
  { stage: 'receiptNotice', kind: null, program: null, limitValue: 15, unit: d, maxExtension: 0, source: RECEIPT_NOTICE_SOURCE },
  { stage: 'review', kind: null, program: null, limitValue: 30, unit: d, maxExtension: 0, source: REVIEW_SOURCE },
  { stage: 'rereview', kind: null, program: null, limitValue: 30, unit: d, maxExtension: 0, source: '《信访工作条例》第三十六条：收到复核请求之日起30日内提出复核意见' },
  { stage: 'reviewRequest', kind: null, program: null, limitValue: 30, unit: d, maxExtension: 0, source: '《信访工作条例》第三十五条、第三十六条：自收到书面答复之日起30日内请求复查、复核' },
  { stage: 'countyAccept', kind: null, program: null, limitValue: 1, unit: wd, maxExtension: 0, source: '县局默认：登记后1个工作日内受理（或不予受理、当场解答）' },
  { stage: 'countyAssign', kind: null, program: null, limitValue: 2, unit: wd, maxExtension: 0, source: '县局默认：受理后2个工作日内交办乡镇' },
  { stage: 'realNameAcceptance', kind: null, program: null, limitValue: 15, unit: wd, maxExtension: 0, source: '《纪检监察机关处理检举控告工作规则》：实名检举控告15个工作日内告知受理情况' },
  { stage: 'realNameResult', kind: null, program: null, limitValue: 15, unit: wd, maxExtension: 0, source: '《纪检监察机关处理检举控告工作规则》：办理结果15个工作日内反馈' },
  { stage: 'liaisonAcknowledge', kind: null, program: null, limitValue: 5, unit: wd, maxExtension: 0, source: '《纪检监察机关处理检举控告工作规则》第十六条：5个工作日内签收' },
  { stage: 'deathRecheck', kind: null, program: null, limitValue: 90, unit: d, maxExtension: 0, source: '重点问题整治实施方案：低保对象死亡后3个月内复核家庭情况（按90日计）' },
  { stage: 'relativeRegistration', kind: null, program: null, limitValue: 30, unit: d, maxExtension: 0, source: '近亲属备案制度：任职后1个月内完成近亲属备案（按30日计）' },
];
