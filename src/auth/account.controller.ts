import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { flash, handleForm } from '../common/forms';
import { validateInput } from '../common/validation';
import { ChangePasswordDto } from '../users/dto/user.dto';
import { AuthUser, CurrentUser, OpenAboveCounty } from './auth-user';
import { homeFor } from './auth.controller';
import { AuthService } from './auth.service';
import { PASSWORD_HINT } from './password-policy';

/** 修改密码: every signed-in user changes their own password (ASVS 4.0.3 V2.1.5, V2.1.6). */
@Controller('account')
export class AccountController {
  constructor(private readonly auth: AuthService) {}

  private model() {
    return { title: '修改密码', hint: PASSWORD_HINT };
  }

  @Get('password')
  @Render('auth/change-password')
  form() {
    return { ...this.model(), values: {} };
  }

  @Post('password')
  @OpenAboveCounty()
  async change(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(ChangePasswordDto, { ...body, username: user.username });
    if (!errors.some((e) => e.field === 'confirmPassword') && typeof body.newPassword === 'string' && body.confirmPassword !== body.newPassword) {
      errors.push({ field: 'confirmPassword', message: '两次输入的新密码不一致' });
    }
    // passwords are never drawn back into the form
    await handleForm(res, 'auth/change-password', () => this.model(), {}, async () => {
      const ended = await this.auth.changeOwnPassword(user, value.currentPassword, value.newPassword, req.sessionID, req.ip ?? 'unknown');
      flash(req, ended ? `密码已修改，您在其他设备或程序上的 ${ended} 个登录已退出` : '密码已修改');
      return homeFor(user.role);
    }, errors);
  }
}
