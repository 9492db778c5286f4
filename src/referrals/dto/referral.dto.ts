import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { ToInt, Trim } from '../../common/validation';
import { DISPOSALS, REFERRAL_STATUSES } from '../entities/referral.entity';
import type { Disposal, ReferralStatus } from '../entities/referral.entity';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateReferralDto {
  @Trim()
  @IsString({ message: '请填写线索来源' })
  @Length(2, 100, { message: '线索来源应为2至100个字' })
  source: string;

  @Trim()
  @IsString({ message: '请填写主要问题' })
  @Length(5, 5000, { message: '主要问题应为5至5000个字' })
  mainProblem: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '前期核查情况应为文字' })
  @Length(1, 5000, { message: '前期核查情况不超过5000个字' })
  verificationSoFar?: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '附件清单应为文字' })
  @Length(1, 2000, { message: '附件清单不超过2000个字' })
  attachments?: string;

  @ToInt()
  @IsInt({ message: '请选择承办的纪检联络员' })
  @Min(1, { message: '请选择承办的纪检联络员' })
  handlerId: number;

  /** Other cases about the same matter, bundled into this lead. */
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : String(value).split(/[\s,，、]+/).filter(Boolean)))
  @IsOptional()
  @IsArray({ message: '关联案件编号格式不正确' })
  @IsString({ each: true, message: '关联案件编号格式不正确' })
  otherCaseNos?: string[];
}

export class DisposeDto {
  @Trim()
  @IsIn(DISPOSALS as unknown as string[], { message: '请选择处置方式' })
  disposal: Disposal;

  @Trim()
  @IsOptional()
  @IsString({ message: '处置说明应为文字' })
  @Length(1, 2000, { message: '处置说明不超过2000个字' })
  note?: string;
}

export class ReturnResultDto {
  @Trim()
  @Matches(DATE, { message: '请填写办结日期（YYYY-MM-DD）' })
  resultDate: string;

  @Trim()
  @IsString({ message: '请填写办理结果' })
  @Length(5, 5000, { message: '办理结果应为5至5000个字' })
  summary: string;
}

export class ReporterContactDto {
  @Trim()
  @Matches(DATE, { message: '请填写日期（YYYY-MM-DD）' })
  date: string;

  @Trim()
  @IsOptional()
  @IsString({ message: '说明应为文字' })
  @Length(1, 500, { message: '说明不超过500个字' })
  note?: string;
}

export class EmptyDto {}

/** GET /referrals?status= and GET /api/v1/referrals?status= */
export class ListReferralsQuery {
  @Trim()
  @IsOptional()
  @IsIn(REFERRAL_STATUSES as unknown as string[], { message: '状态不在可选范围内' })
  status?: ReferralStatus;
}
