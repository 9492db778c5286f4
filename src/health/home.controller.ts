import { Controller, Get, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { homeFor } from '../auth/auth.controller';

@Controller()
export class HomeController {
  @Get()
  root(@CurrentUser() user: AuthUser, @Res() res: Response) {
    res.redirect(303, homeFor(user.role));
  }

  /** Landing page for roles without a work list yet (liaison until referrals exist). */
  @Get('home')
  @Render('home/index')
  home() {
    return { title: '工作台' };
  }
}
