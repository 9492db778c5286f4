import { Transform } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ToArray, ToInt, Trim } from '../../common/validation';
import { CALLBACK_RESULTS, FEEDBACK_METHODS, NOTICE_METHODS, RECHECK_RESULTS, REVIEW_DECISIONS, VERIFICATION_OUTCOMES, VERIFY_METHODS } from '../../cases/case.enums';
import type { CallbackResult, FeedbackMethod, NoticeMethod, RecheckResult, ReviewDecision, VerificationOutcome, VerifyMethod } from '../../cases/case.enums';
import type { ActionName } from '../transitions';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "张三、李四 王五" or ["张三","李四"] → names. */
const ToNames = () =>
  Transform(({ value }) => {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[、,，;；\s]+/) : value;
    return Array.isArray(list) ? list.map((s) => (typeof s === 'string' ? s.trim() : s)).filter((s) => s !== '') : list;
  });

export class NoteDto {
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, 1000, { message: '备注不超过1000个字' })
  note?: string;
}

export class ReasonDto {
  @Trim()
  @IsString({ message: '请填写理由' })
  @Length(2, 1000, { message: '理由应为2至1000个字' })
  reason: string;
}

export class AnswerDto {
  @Trim()
  @IsString({ message: '请填写解答内容' })
  @Length(2, 2000, { message: '解答内容应为2至2000个字' })
  answer: string;
}

/** Confirming an assignment to a township whose staff member is the subject (or their relative). */
export class RecusalConfirmDto extends NoteDto {
  @Transform(({ value }) => value === true || value === 'true' || value === '1' || value === 'on')
  @IsOptional()
  confirmRecusal?: boolean;

  @Trim()
  @IsOptional()
  @IsString({ message: '请填写理由' })
  @Length(5, 500, { message: '确认理由应为5至500个字' })
  recusalReason?: string;
}

export class AssignDto extends RecusalConfirmDto {
  @ToInt()
  @IsInt({ message: '请选择承办乡镇' })
  @Min(1, { message: '请选择承办乡镇' })
  townshipId: number;
}

export class ObjectDto {
  @Trim()
  @IsString({ message: '请填写退回理由' })
  @Length(5, 1000, { message: '退回理由应为5至1000个字' })
  reasons: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '建议承办乡镇不正确' })
  suggestedTownshipId?: number;
}

export class DecideObjectionDto extends RecusalConfirmDto {
  @Trim()
  @IsString({ message: '请填写理由' })
  @Length(2, 1000, { message: '理由应为2至1000个字' })
  reason: string;

  @Trim()
  @IsIn(['reassign', 'keep'], { message: '请选择改派或维持交办' })
  decision: 'reassign' | 'keep';

  @ToInt()
  @IsOptional()
  @IsInt({ message: '请选择改派的乡镇' })
  townshipId?: number;
}

export class VerifyDto {
  @ToNames()
  @IsArray({ message: '请填写核实人员' })
  @ArrayMinSize(2, { message: '入户核实须至少两名工作人员，请填写两人以上姓名' })
  @ArrayUnique({ message: '核实人员姓名有重复' })
  @IsString({ each: true, message: '核实人员姓名不正确' })
  @Length(2, 20, { each: true, message: '每位核实人员姓名应为2至20个字' })
  investigators: string[];

  @Trim()
  @Matches(DATE, { message: '请填写走访日期（YYYY-MM-DD）' })
  visitDate: string;

  @ToArray()
  @IsArray({ message: '请选择核实方式' })
  @ArrayMinSize(1, { message: '请至少选择一种核实方式' })
  @IsIn(VERIFY_METHODS as unknown as string[], { each: true, message: '核实方式不在可选范围内' })
  methods: VerifyMethod[];

  @Trim()
  @IsString({ message: '请填写核实情况' })
  @Length(10, 5000, { message: '核实情况应为10至5000个字' })
  findings: string;

  @Trim()
  @IsIn(VERIFICATION_OUTCOMES as unknown as string[], { message: '请选择核实结论' })
  outcome: VerificationOutcome;
}

export class FeedbackDto {
  @Trim()
  @IsIn(FEEDBACK_METHODS as unknown as string[], { message: '请选择答复方式' })
  method: FeedbackMethod;

  @Trim()
  @Matches(DATE, { message: '请填写答复日期（YYYY-MM-DD）' })
  date: string;

  @Trim()
  @IsString({ message: '请填写答复内容' })
  @Length(5, 5000, { message: '答复内容应为5至5000个字' })
  content: string;
}

/** 补充核实情况: what was found since the send-back; a changed conclusion is given again. */
export class SupplementDto {
  @Trim()
  @IsString({ message: '请填写补充核实的情况' })
  @Length(10, 5000, { message: '补充核实情况应为10至5000个字' })
  findings: string;

  @Trim()
  @IsOptional()
  @IsIn(VERIFICATION_OUTCOMES as unknown as string[], { message: '核实结论不在可选范围内' })
  outcome?: VerificationOutcome;
}

/** 县级答复反映人: the county tells a withheld reporter the approved reply; how and when. */
export class CountyReplyDto extends NoteDto {
  @Trim()
  @IsIn(FEEDBACK_METHODS as unknown as string[], { message: '请选择答复方式' })
  method: FeedbackMethod;

  @Trim()
  @Matches(DATE, { message: '请填写答复日期（YYYY-MM-DD）' })
  date: string;
}

export class RequestExtensionDto extends ReasonDto {
  @ToInt()
  @IsInt({ message: '请填写延长的工作日数' })
  @Min(1, { message: '延长天数至少为1' })
  @Max(60, { message: '延长天数不超过60' })
  days: number;
}

export class DecideExtensionDto extends NoteDto {
  @Trim()
  @IsIn(['approve', 'refuse'], { message: '请选择同意或不同意' })
  decision: 'approve' | 'refuse';

  /** Approve fewer days than asked; defaults to the days asked. */
  @ToInt()
  @IsOptional()
  @IsInt({ message: '批准天数应为整数' })
  @Min(1, { message: '批准天数至少为1' })
  days?: number;
}

export class CountyVisitDto {
  @ToNames()
  @IsArray({ message: '请填写入户人员' })
  @ArrayMinSize(2, { message: '县级入户核查须至少两人' })
  @ArrayUnique({ message: '入户人员姓名有重复' })
  @IsString({ each: true, message: '入户人员姓名不正确' })
  @Length(2, 20, { each: true, message: '每位入户人员姓名应为2至20个字' })
  visitors: string[];

  @Trim()
  @Matches(DATE, { message: '请填写入户日期（YYYY-MM-DD）' })
  visitDate: string;

  @Trim()
  @IsString({ message: '请填写核查情况' })
  @Length(10, 5000, { message: '核查情况应为10至5000个字' })
  findings: string;
}

export class CallbackDto extends NoteDto {
  @Trim()
  @IsIn(CALLBACK_RESULTS as unknown as string[], { message: '请选择回访结果' })
  result: CallbackResult;
}

/**
 * 提交审核: the township's draft of the reply to the reporter (答复意见). It is its own text, not
 * the verification notes: the county approves it and only it reaches the reporter. Required when
 * there is a reporter to answer (WorkflowService: not for anonymous reports).
 */
export class SubmitDto extends NoteDto {
  @Trim()
  @IsOptional()
  @IsString({ message: '请填写拟答复反映人的意见' })
  @Length(10, 2000, { message: '答复意见应为10至2000个字' })
  replyDraft?: string;
}

/** 审核通过: the county may edit the township's draft; without a text the draft is approved as it is. */
export class ApproveDto extends NoteDto {
  @Trim()
  @IsOptional()
  @IsString({ message: '答复意见应为文字' })
  @Length(10, 2000, { message: '答复意见应为10至2000个字' })
  replyText?: string;
}

export class UrgeDto {
  @Trim()
  @IsString({ message: '请填写督办意见' })
  @Length(2, 1000, { message: '督办意见应为2至1000个字' })
  note: string;
}

/** 记录书面告知: how and when the notice went out; a notice of non-acceptance states its reason. */
export class RecordNoticeDto {
  @Trim()
  @IsIn(NOTICE_METHODS as unknown as string[], { message: '请选择告知方式' })
  method: NoticeMethod;

  @Trim()
  @Matches(DATE, { message: '请填写告知日期（YYYY-MM-DD）' })
  date: string;

  /** Required for 不予受理告知 (WorkflowService); the notice states why. */
  @Trim()
  @IsOptional()
  @IsString({ message: '请填写不予受理的理由' })
  @Length(2, 1000, { message: '不予受理的理由应为2至1000个字' })
  reason?: string;
}

/** 登记复查申请 / 登记复核申请: the day the reporter's request came in, and what they ask. */
export class RequestReviewDto {
  @Trim()
  @Matches(DATE, { message: '请填写收到申请的日期（YYYY-MM-DD）' })
  requestDate: string;

  @Trim()
  @IsString({ message: '请填写申请理由' })
  @Length(5, 2000, { message: '申请理由应为5至2000个字' })
  reason: string;
}

/** 记录复查意见 / 记录复核意见: 维持、撤销 or 变更, with the decision's text and day. */
export class DecideReviewDto {
  @Trim()
  @IsIn(REVIEW_DECISIONS as unknown as string[], { message: '请选择维持、撤销或变更' })
  decision: ReviewDecision;

  @Trim()
  @IsString({ message: '请填写意见内容' })
  @Length(5, 2000, { message: '意见内容应为5至2000个字' })
  text: string;

  @Trim()
  @Matches(DATE, { message: '请填写作出意见的日期（YYYY-MM-DD）' })
  date: string;
}

/** 记录低保对象死亡: the day of death (the household re-check's 3 months run from it). */
export class RecordDeathDto {
  @Trim()
  @Matches(DATE, { message: '请填写死亡日期（YYYY-MM-DD）' })
  deathDate: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '请填写死亡的低保对象姓名' })
  @Length(2, 20, { message: '姓名应为2至20个字' })
  recipientName?: string;
}

/** 记录死亡后家庭复核: what the re-check found and decided, and on which day. */
export class RecordRecheckDto {
  @Trim()
  @IsIn(RECHECK_RESULTS as unknown as string[], { message: '请选择复核结果' })
  result: RecheckResult;

  @Trim()
  @IsString({ message: '请填写复核情况' })
  @Length(5, 2000, { message: '复核情况应为5至2000个字' })
  text: string;

  @Trim()
  @Matches(DATE, { message: '请填写复核日期（YYYY-MM-DD）' })
  date: string;
}

/** The input class of each action. */
export const ACTION_DTOS: Record<ActionName, new () => object> = {
  accept: NoteDto,
  'not-accept': ReasonDto,
  answer: AnswerDto,
  assign: AssignDto,
  acknowledge: NoteDto,
  object: ObjectDto,
  'decide-objection': DecideObjectionDto,
  verify: VerifyDto,
  supplement: SupplementDto,
  feedback: FeedbackDto,
  submit: SubmitDto,
  approve: ApproveDto,
  'send-back': ReasonDto,
  'request-extension': RequestExtensionDto,
  'decide-extension': DecideExtensionDto,
  'county-visit': CountyVisitDto,
  'county-reply': CountyReplyDto,
  callback: CallbackDto,
  urge: UrgeDto,
  close: ReasonDto,
  reopen: ReasonDto,
  'record-notice': RecordNoticeDto,
  'request-review': RequestReviewDto,
  'decide-review': DecideReviewDto,
  'request-rereview': RequestReviewDto,
  'decide-rereview': DecideReviewDto,
  'record-death': RecordDeathDto,
  'record-recheck': RecordRecheckDto,
};
