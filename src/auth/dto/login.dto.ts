import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { FieldError } from '../../common/validation';

/**
 * What a user name at sign-in can look like: user names are made as 3-40 lower-case letters,
 * digits and _ . - (CreateUserDto); capitals are allowed here so that a wrong-case name gets the
 * ordinary "wrong user name or password" answer. Anything else cannot be an account and is
 * refused before the throttle counts it, so nothing is written for it.
 */
export const LOGIN_USERNAME = /^[A-Za-z0-9_.-]{1,40}$/;
export const LOGIN_USERNAME_MESSAGE = '用户名为字母、数字或 _ . -，不超过40位';
/**
 * Longest password accepted at sign-in, in UTF-16 units: a password may be set up to 128 code
 * points (ASVS 4.0.3 V2.1.2), which is at most 256 units.
 */
export const LOGIN_PASSWORD_MAX = 256;

export class LoginDto {
  @IsString({ message: '请输入用户名' })
  @Matches(LOGIN_USERNAME, { message: LOGIN_USERNAME_MESSAGE })
  username: string;

  @IsString({ message: '请输入密码' })
  @Length(1, LOGIN_PASSWORD_MAX, { message: '请输入密码' })
  @MaxLength(LOGIN_PASSWORD_MAX, { message: '密码过长' })
  password: string;
}

/** The same rules for the sign-in form, each message for its field. */
export function loginProblems(username: unknown, password: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof username === 'string' ? username.trim() : '';
  if (!name) errors.push({ field: 'username', message: '请输入用户名' });
  else if (!LOGIN_USERNAME.test(name)) errors.push({ field: 'username', message: LOGIN_USERNAME_MESSAGE });
  if (typeof password !== 'string' || !password) errors.push({ field: 'password', message: '请输入密码' });
  else if (password.length > LOGIN_PASSWORD_MAX) errors.push({ field: 'password', message: '密码过长' });
  return errors;
}

/** GET /login?next=/cases&expired=1 */
export class LoginPageQuery {
  @IsOptional()
  @IsString({ message: '登录后要打开的页面地址不正确' })
  @MaxLength(2000, { message: '登录后要打开的页面地址不正确' })
  // only a path on this site (no //host, no \\host): never an open redirect
  @Matches(/^\/(?![/\\])/, { message: '登录后要打开的页面地址不正确' })
  next?: string;

  @IsOptional()
  @IsIn(['1'], { message: '链接参数不正确' })
  expired?: string;
}
