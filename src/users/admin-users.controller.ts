import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, OpenAboveCounty, Roles } from '../auth/auth-user';
import { PASSWORD_HINT } from '../auth/password-policy';
import { flash, handleForm } from '../common/forms';
import { validateInput } from '../common/validation';
import { TownshipsService } from '../townships/townships.service';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './dto/user.dto';
import { ROLE_LABELS, ROLES } from './role';
import { UsersService } from './users.service';

const roleOptions = ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));
/** Above a county there are only supervisors and administrators (UsersService checks it). */
const aboveCountyRoleOptions = roleOptions.filter((o) => o.value === 'supervisor' || o.value === 'admin');

/**
 * A prefecture's or province's administrator manages the users of that level (its supervisors,
 * who read and urge the counties below): these forms are open above the county, and the service
 * allows only those two roles there.
 */
@Controller('admin/users')
@Roles('admin')
@OpenAboveCounty()
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly townships: TownshipsService,
  ) {}

  private async formModel(actor: AuthUser, extra: Record<string, unknown> = {}) {
    return { title: '用户管理', roleOptions: actor.level && actor.level !== 'county' ? aboveCountyRoleOptions : roleOptions, passwordHint: PASSWORD_HINT, townships: await this.townships.listWithVillages(actor), ...extra };
  }

  @Get()
  @Render('admin/users')
  async list(@CurrentUser() actor: AuthUser) {
    const users = await this.users.list(actor);
    return { title: '用户管理', users: users.map((u) => ({ ...u, roleLabel: ROLE_LABELS[u.role] })) };
  }

  @Get('new')
  @Render('admin/user-form')
  async newForm(@CurrentUser() actor: AuthUser) {
    return this.formModel(actor, { isNew: true, values: { role: actor.level && actor.level !== 'county' ? 'supervisor' : 'operator' } });
  }

  @Post()
  async create(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(CreateUserDto, body);
    await handleForm(res, 'admin/user-form', () => this.formModel(actor, { isNew: true }), { ...body, password: '' }, async () => {
      const user = await this.users.create(actor, value);
      flash(req, `已创建用户 ${user.username}`);
      return '/admin/users';
    }, errors);
  }

  @Get(':id/edit')
  @Render('admin/user-form')
  async editForm(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number) {
    const user = await this.users.get(actor, id);
    return this.formModel(actor, { user, values: user });
  }

  @Post(':id')
  async update(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.get(actor, id);
    const { value, errors } = validateInput(UpdateUserDto, body);
    await handleForm(res, 'admin/user-form', () => this.formModel(actor, { user }), body, async () => {
      await this.users.update(actor, id, value);
      flash(req, `已保存用户 ${user.username}`);
      return '/admin/users';
    }, errors);
  }

  @Post(':id/password')
  async resetPassword(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.get(actor, id);
    const { value, errors } = validateInput(ResetPasswordDto, body);
    await handleForm(res, 'admin/user-form', () => this.formModel(actor, { user, values: user }), user as unknown as Record<string, unknown>, async () => {
      await this.users.resetPassword(actor, id, value.password);
      flash(req, `已重置 ${user.username} 的密码，其已登录的会话均已退出`);
      return '/admin/users';
    }, errors);
  }

  @Post(':id/disable')
  async disable(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.get(actor, id);
    await handleForm(res, 'admin/user-form', () => this.formModel(actor, { user, values: user }), user as unknown as Record<string, unknown>, async () => {
      await this.users.setDisabled(actor, id, true);
      flash(req, `已停用 ${user.username}`);
      return '/admin/users';
    });
  }

  @Post(':id/enable')
  async enable(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.get(actor, id);
    await this.users.setDisabled(actor, id, false);
    flash(req, `已启用 ${user.username}`);
    res.redirect(303, '/admin/users');
  }
}
