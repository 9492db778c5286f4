import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToInt, Trim } from '../../common/validation';
import { CASE_STATUSES, CHANNELS, KINDS, PROBLEM_TYPES, PROGRAMS } from '../case.enums';
import type { CaseStatus, Channel, Kind, ProblemType, Program } from '../case.enums';

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
