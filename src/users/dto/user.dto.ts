import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min, ValidateBy, ValidationArguments } from 'class-validator';
import { passwordProblem } from '../../auth/password-policy';
import { ToInt, Trim } from '../../common/validation';
import { ROLES, Role } from '../role';

/** The password rule of password-policy.ts (ASVS 4.0.3 V2.1), with the user name beside it if the form has one. */
export const IsAcceptablePassword = () =>
  ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (v: unknown, args?: ValidationArguments) => passwordProblem(v, { username: (args?.object as { username?: string })?.username }) === null,
      },
    },
    { message: (args: ValidationArguments) => passwordProblem(args.value, { username: (args.object as { username?: string }).username }) ?? '' },
  );

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

  @IsAcceptablePassword()
  password: string;
}

export class ResetPasswordDto {
  @IsAcceptablePassword()
  password: string;
}

/** 修改密码: the current password and the new one twice (ASVS 4.0.3 V2.1.6). */
export class ChangePasswordDto {
  @IsString({ message: '请输入当前密码' })
  @Length(1, 256, { message: '请输入当前密码' })
  currentPassword: string;

  @IsAcceptablePassword()
  newPassword: string;

  @IsString({ message: '请再次输入新密码' })
  @Length(1, 512, { message: '请再次输入新密码' })
  confirmPassword: string;
}
