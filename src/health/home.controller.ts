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

  /** A plain landing page that points each role to its own work page. */
  @Get('home')
  @Render('home/index')
  home(@CurrentUser() user: AuthUser) {
    return { title: '工作台', workHref: homeFor(user.role) };
  }
}
