import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { ToInt, Trim } from '../../common/validation';

const ToBool = () => Transform(({ value }) => value === true || value === 'true' || value === '1' || value === 'on');

export class TownshipDto {
  @Trim()
  @Matches(/^\d{6,12}$/, { message: '区划代码应为6至12位数字' })
  code: string;

  @Trim()
  @IsString({ message: '请填写乡镇名称' })
  @Length(2, 50, { message: '乡镇名称应为2至50个字' })
  name: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '排序应为整数' })
  @Min(0, { message: '排序应为0至9999' })
  @Max(9999, { message: '排序应为0至9999' })
  sortOrder?: number;

  @ToBool()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class VillageDto {
  @ToInt()
  @IsInt({ message: '请选择所属乡镇' })
  townshipId: number;

  @Trim()
  @IsString({ message: '请填写村（社区）名称' })
  @Length(2, 50, { message: '名称应为2至50个字' })
  name: string;

  @Trim()
  @IsIn(['村', '社区'], { message: '类型应为村或社区' })
  type: string;

  @ToBool()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
