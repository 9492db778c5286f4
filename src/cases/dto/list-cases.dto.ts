import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToInt, Trim } from '../../common/validation';
import { CASE_STATUSES, CHANNELS, KINDS, PROBLEM_TYPES, PROGRAMS } from '../case.enums';
import type { CaseStatus, Channel, Kind, ProblemType, Program } from '../case.enums';

export const DEADLINE_FILTERS = ['overdue', 'dueWithin'] as const;
export type DeadlineFilter = (typeof DEADLINE_FILTERS)[number];
export const DEADLINE_FILTER_LABELS: Record<DeadlineFilter, string> = { overdue: '已超期', dueWithin: '即将到期' };
export const DEFAULT_WITHIN_DAYS = 3;

/**
 * received: newest received first (the default); due / dueDesc: by the deadline (cases.dueDate),
 * earliest / latest first; overdueDays: most days overdue first (only overdue cases; the earlier
 * the deadline, the longer overdue, so it is the deadline's order).
 */
export const CASE_SORTS = ['received', 'due', 'dueDesc', 'overdueDays'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const CASE_SORT_LABELS: Record<CaseSort, string> = {
  received: '接收时间（最新在前）',
  due: '期限（最早在前）',
  dueDesc: '期限（最晚在前）',
  overdueDays: '超期天数（最多在前）',
};

/** Filters of the case list, shared by the page and GET /api/v1/cases. */
export class ListCasesDto {
  @Trim()
  @IsOptional()
  @IsIn(CASE_STATUSES as unknown as string[], { message: '状态不在可选范围内' })
  status?: CaseStatus;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '乡镇不正确' })
  @Min(1, { message: '乡镇不正确' })
  townshipId?: number;

  @Trim()
  @IsOptional()
  @IsIn(KINDS as unknown as string[], { message: '诉求类型不在可选范围内' })
  kind?: Kind;

  @Trim()
  @IsOptional()
  @IsIn(PROGRAMS as unknown as string[], { message: '救助项目不在可选范围内' })
  program?: Program;

  @Trim()
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[], { message: '来源渠道不在可选范围内' })
  channel?: Channel;

  @Trim()
  @IsOptional()
  @IsIn(PROBLEM_TYPES as unknown as string[], { message: '问题类别不在可选范围内' })
  problemType?: ProblemType;

  @Trim()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' })
  receivedFrom?: string;

  @Trim()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' })
  receivedTo?: string;

  /** Free text over the content; any Chinese substring. */
  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(50, { message: '搜索词不超过50个字' })
  q?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(200, { message: '翻页参数不正确' })
  cursor?: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '每页条数应为1至100' })
  @Min(1, { message: '每页条数应为1至100' })
  @Max(100, { message: '每页条数应为1至100' })
  limit?: number;

  /** 期限: past its last day (已超期), or due within `withinDays` days from today (not yet past). */
  @Trim()
  @IsOptional()
  @IsIn(DEADLINE_FILTERS as unknown as string[], { message: '期限条件不在可选范围内' })
  deadline?: DeadlineFilter;

  /** For `deadline=dueWithin`: calendar days from today, today included (0 = due today). Default 3. */
  @ToInt()
  @IsOptional()
  @IsInt({ message: '天数应为0至90的整数' })
  @Min(0, { message: '天数应为0至90的整数' })
  @Max(90, { message: '天数应为0至90的整数' })
  withinDays?: number;

  /** Order of the list; by deadline lists only cases with a running deadline. */
  @Trim()
  @IsOptional()
  @IsIn(CASE_SORTS as unknown as string[], { message: '排序方式不在可选范围内' })
  sort?: CaseSort;
}

/** GET /cases/person-matches?phone=&idNumber= (the panel beside the intake form; partial input is normal). */
export class PersonMatchesQuery {
  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(30, { message: '电话号码过长' })
  phone?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(30, { message: '身份证号码过长' })
  idNumber?: string;
}
