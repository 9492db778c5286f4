import { IsString, Length } from 'class-validator';

export class LoginDto {
  @IsString({ message: '请输入用户名' })
  @Length(1, 40, { message: '请输入用户名' })
  username: string;

  @IsString({ message: '请输入密码' })
  @Length(1, 200, { message: '请输入密码' })
  password: string;
}
