import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { PROGRAMS } from '../../cases/case.enums';
import { ToInt, Trim } from '../../common/validation';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const RELATIONSHIPS = ['配偶', '父母', '子女', '兄弟姐妹', '祖父母、外祖父母', '孙子女、外孙子女', '其他近亲属'] as const;

export class RelativeDto {
  @Trim()
  @IsString({ message: '请填写工作人员姓名' })
  @Length(2, 50, { message: '工作人员姓名应为2至50个字' })
  staffName: string;

  @Trim()
  @IsString({ message: '请填写职务' })
  @Length(2, 50, { message: '职务应为2至50个字' })
  staffPost: string;

  @Trim()
  @IsString({ message: '请填写单位' })
  @Length(2, 100, { message: '单位应为2至100个字' })
  staffUnit: string;

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
  @Matches(DATE, { message: '任职日期格式应为 YYYY-MM-DD' })
  appointedAt?: string;

  @Trim()
  @IsString({ message: '请填写亲属姓名' })
  @Length(2, 50, { message: '亲属姓名应为2至50个字' })
  relativeName: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '身份证号码应为文字' })
  relativeIdNumber?: string;

  @Trim()
  @IsIn(RELATIONSHIPS as unknown as string[], { message: '请选择亲属关系' })
  relationship: string;

  @Trim()
  @IsOptional()
  @IsIn(PROGRAMS as unknown as string[], { message: '救助项目不在可选范围内' })
  program?: string;

  @Trim()
  @IsOptional()
  @Matches(DATE, { message: '享受救助起始日期格式应为 YYYY-MM-DD' })
  startDate?: string;

  @Trim()
  @IsOptional()
  @Matches(DATE, { message: '备案日期格式应为 YYYY-MM-DD' })
  registeredAt?: string;

  @Trim()
  @IsOptional()
  @Matches(DATE, { message: '入户核查日期格式应为 YYYY-MM-DD' })
  homeVisitDate?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '核查结果应为文字' })
  @Length(1, 1000, { message: '核查结果不超过1000个字' })
  homeVisitResult?: string;
}

export class EndRelativeDto {
  @Trim()
  @Matches(DATE, { message: '终止日期格式应为 YYYY-MM-DD' })
  endedAt: string;

  @Trim()
  @IsString({ message: '请填写终止原因' })
  @Length(2, 200, { message: '终止原因应为2至200个字' })
  endReason: string;
}

/** GET /relatives?q=&townshipId=&status= */
export class ListRelativesQuery {
  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(50, { message: '搜索词不超过50个字' })
  q?: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '乡镇不正确' })
  @Min(1, { message: '乡镇不正确' })
  townshipId?: number;

  @Trim()
  @IsOptional()
  @IsIn(['active', 'pending', 'ended'], { message: '状态不在可选范围内' })
  status?: 'active' | 'pending' | 'ended';
}
