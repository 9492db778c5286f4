import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { ToInt, Trim } from '../../common/validation';
import { ROLES, Role } from '../role';

export const PASSWORD_RULE = /^(?=.*[A-Za-z])(?=.*\d).{8,200}$/;
export const PASSWORD_MESSAGE = '密码至少8位，须同时包含字母和数字';

export class UpdateUserDto {
  @Trim()
  @IsString({ message: '请填写姓名' })
  @Length(2, 50, { message: '姓名应为2至50个字' })
  displayName: string;

  @Trim()
  @IsIn(ROLES as unknown as string[], { message: '请选择角色' })
  role: Role;

  @ToInt()
  @IsOptional()
  @IsInt({ message: '请选择乡镇' })
  @Min(1, { message: '请选择乡镇' })
  townshipId?: number;

  @Trim()
  @IsOptional()
  @MaxLength(20, { message: '电话号码过长' })
  phone?: string;

  @Trim()
  @IsOptional()
  @MaxLength(18, { message: '身份证号码应为18位' })
  idNumber?: string;
}

export class CreateUserDto extends UpdateUserDto {
  @Trim()
  @Matches(/^[a-z][a-z0-9_.-]{2,39}$/, { message: '用户名为3至40位小写字母、数字或 _ . -，以字母开头' })
  username: string;

  @IsString({ message: PASSWORD_MESSAGE })
  @Matches(PASSWORD_RULE, { message: PASSWORD_MESSAGE })
  password: string;
}

export class ResetPasswordDto {
  @IsString({ message: PASSWORD_MESSAGE })
  @Matches(PASSWORD_RULE, { message: PASSWORD_MESSAGE })
  password: string;
}
