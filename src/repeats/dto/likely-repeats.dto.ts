import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateBy } from 'class-validator';
import { parseShanghaiDateTime } from '../../common/time';
import { ToInt, Trim } from '../../common/validation';

/** GET /repeats/likely: what the intake form holds so far (partial phone numbers are normal). */
export class LikelyRepeatsQuery {
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

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(50, { message: '被反映人姓名不超过50个字' })
  subjectName?: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '村（社区）不正确' })
  @Min(1, { message: '村（社区）不正确' })
  villageId?: number;

  @Trim()
  @IsOptional()
  @IsString({ message: '应为文字' })
  @MaxLength(5000, { message: '诉求内容不超过5000个字' })
  content?: string;

  @Trim()
  @IsOptional()
  @ValidateBy({ name: 'isShanghaiDateTime', validator: { validate: (v: unknown) => typeof v === 'string' && parseShanghaiDateTime(v) !== null } }, { message: '接收时间格式不正确' })
  receivedAt?: string;
}
