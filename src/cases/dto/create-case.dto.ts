import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';
import { ToArray, ToBool, ToInt, Trim } from '../../common/validation';
import {
  CHANNELS,
  Channel,
  KINDS,
  Kind,
  PROBLEM_TYPES,
  PROGRAMS,
  ProblemType,
  Program,
  REPORTER_TYPES,
  ReporterType,
  URGENCIES,
  Urgency,
} from '../case.enums';

/**
 * Intake of one case, from the form or the API. Rules that depend on several fields (what each
 * kind needs, phone and ID checks, township and village) are in CaseIntakeService.check().
 */
export class CreateCaseDto {
  @Trim()
  @IsIn(CHANNELS as unknown as string[], { message: '请选择来源渠道' })
  channel: Channel;

  /** ISO 8601, or local Shanghai time "YYYY-MM-DDTHH:mm"; defaults to now. */
  @Trim()
  @IsOptional()
  @IsString({ message: '接收时间格式不正确' })
  receivedAt?: string;

  @Trim()
  @IsIn(KINDS as unknown as string[], { message: '请选择诉求类型' })
  kind: Kind;

  @Trim()
  @IsIn(PROGRAMS as unknown as string[], { message: '请选择救助项目' })
  program: Program;

  @ToArray()
  @IsArray({ message: '问题类别格式不正确' })
  @ArrayUnique({ message: '问题类别有重复' })
  @IsIn(PROBLEM_TYPES as unknown as string[], { each: true, message: '问题类别不在可选范围内' })
  problemTypes: ProblemType[] = [];

  @Trim()
  @IsIn(REPORTER_TYPES as unknown as string[], { message: '请选择实名或匿名' })
  reporterType: ReporterType;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @Length(2, 50, { message: '姓名应为2至50个字' })
  reporterName?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(30, { message: '电话号码过长' })
  reporterPhone?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(30, { message: '身份证号码应为18位' })
  reporterIdNumber?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(200, { message: '住址不超过200个字' })
  reporterAddress?: string;

  /** 未成年人 (also read from the ID number's birth date at intake). */
  @ToBool()
  @IsOptional()
  @IsBoolean({ message: '请勾选或不勾选' })
  reporterMinor?: boolean;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '请选择乡镇' })
  @Min(1, { message: '请选择乡镇' })
  townshipId?: number;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '请选择村（社区）' })
  @Min(1, { message: '请选择村（社区）' })
  villageId?: number;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(50, { message: '被反映人姓名不超过50个字' })
  subjectName?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(100, { message: '被反映人单位不超过100个字' })
  subjectUnit?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(50, { message: '被反映人职务不超过50个字' })
  subjectPost?: string;

  /** The person the matter is about is a minor: never named in public output. */
  @ToBool()
  @IsOptional()
  @IsBoolean({ message: '请勾选或不勾选' })
  subjectMinor?: boolean;

  @Trim()
  @IsString({ message: '请填写诉求内容' })
  @Length(5, 5000, { message: '诉求内容应为5至5000个字' })
  content: string;

  @Trim()
  @IsOptional()
  @IsIn(URGENCIES as unknown as string[], { message: '紧急程度不在可选范围内' })
  urgency?: Urgency;

  /** 重复件: the earlier case this one repeats, when the operator recognises it at intake. */
  @Trim()
  @IsOptional()
  @IsString({ message: '案件编号格式不正确' })
  @MaxLength(30, { message: '案件编号格式不正确' })
  repeatOfCaseNo?: string;
}
