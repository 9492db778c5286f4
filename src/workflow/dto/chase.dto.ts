import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CHANNELS, Channel } from '../../cases/case.enums';
import { Trim } from '../../common/validation';

/** 催办: the reporter chasing an open case, logged on that case. */
export class ChaseDto {
  @Trim()
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[], { message: '请选择来源渠道' })
  channel?: Channel;

  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, 1000, { message: '催办内容不超过1000个字' })
  note?: string;
}
