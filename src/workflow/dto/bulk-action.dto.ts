import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { ToArray, ToInt, Trim } from '../../common/validation';
import { CASE_NO_PATTERN } from '../../common/case-no';

/** The actions a supervisor may take on several cases at once. */
export const BULK_ACTIONS = ['accept', 'assign', 'urge'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** At most one queue's worth (a queue shows 300 rows). */
export const BULK_MAX = 300;

/**
 * The cases and the one input every case gets (a township for 交办, a note for 督办). Never a
 * recusal confirmation: that is given case by case, with its reason, on the case page.
 */
export class BulkActionDto {
  @ToArray()
  @IsArray({ message: '请勾选要办理的案件' })
  @ArrayMinSize(1, { message: '请勾选要办理的案件' })
  @ArrayMaxSize(BULK_MAX, { message: `一次最多办理${BULK_MAX}件` })
  @ArrayUnique({ message: '案件重复' })
  @IsString({ each: true, message: '案件编号不正确' })
  @Matches(CASE_NO_PATTERN, { each: true, message: '案件编号不正确' })
  caseNos: string[];

  @ToInt()
  @IsOptional()
  @IsInt({ message: '请选择承办乡镇' })
  @Min(1, { message: '请选择承办乡镇' })
  townshipId?: number;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @Length(1, 1000, { message: '说明不超过1000个字' })
  note?: string;
}
