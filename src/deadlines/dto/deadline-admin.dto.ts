import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ToInt, Trim } from '../../common/validation';
import { KINDS, PROGRAMS } from '../../cases/case.enums';
import { STAGES } from '../stages';

export class RuleDto {
  @ToInt()
  @IsInt({ message: '时限应为整数' })
  @Min(0, { message: '时限应为0至366' })
  @Max(366, { message: '时限应为0至366' })
  limitValue: number;

  @Trim()
  @IsIn(['workday', 'day'], { message: '单位应为工作日或自然日' })
  unit: 'workday' | 'day';

  @ToInt()
  @IsInt({ message: '可延长天数应为整数' })
  @Min(0, { message: '可延长天数应为0至366' })
  @Max(366, { message: '可延长天数应为0至366' })
  maxExtension: number;

  @Trim()
  @IsString({ message: '请填写依据' })
  @Length(2, 300, { message: '依据应为2至300个字' })
  source: string;
}

export class NewRuleDto extends RuleDto {
  @Trim()
  @IsIn(STAGES as unknown as string[], { message: '请选择环节' })
  stage: string;

  @Trim()
  @IsOptional()
  @IsIn(KINDS as unknown as string[], { message: '诉求类型不在可选范围内' })
  kind?: string;

  @Trim()
  @IsOptional()
  @IsIn(PROGRAMS as unknown as string[], { message: '救助项目不在可选范围内' })
  program?: string;
}

export class CalendarDayDto {
  @Trim()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' })
  date: string;

  /** off: rest day; workday: make-up working day; normal: back to the Monday-to-Friday rule. */
  @Trim()
  @IsIn(['off', 'workday', 'normal'], { message: '请选择放假、调休上班或恢复常规' })
  type: 'off' | 'workday' | 'normal';

  @Trim()
  @IsOptional()
  @IsString({ message: '名称应为文字' })
  @Length(1, 20, { message: '名称不超过20个字' })
  name?: string;
}

export class CalendarYearDto {
  @ToInt()
  @IsInt({ message: '年份应为整数' })
  @Min(2000, { message: '年份应为2000至2100' })
  @Max(2100, { message: '年份应为2000至2100' })
  year: number;

  @Trim()
  @IsString({ message: '请填写通知名称及文号' })
  @Length(4, 200, { message: '通知名称应为4至200个字' })
  source: string;

  /** One line a day or range: "2027-01-01 休 元旦", "2027-02-06~2027-02-13 休 春节", "2027-02-14 班 春节". */
  @IsString({ message: '请填写放假和调休安排' })
  @Length(10, 5000, { message: '安排不超过5000个字' })
  days: string;
}

/** ?county= of the rules and calendar pages and of GET /api/v1/deadline-rules: a county's six-digit code. */
export class CountyQuery {
  // an empty choice ("all" in a picker) is no choice
  @Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value))
  @IsOptional()
  @Matches(/^\d{6}$/, { message: '行政区划代码须为六位数字' })
  county?: string;
}
