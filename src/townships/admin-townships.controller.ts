import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash, handleForm } from '../common/forms';
import { validateInput } from '../common/validation';
import { TownshipDto, VillageDto } from './dto/township.dto';
import { TownshipsService } from './townships.service';

@Controller('admin')
@Roles('admin')
export class AdminTownshipsController {
  constructor(private readonly townships: TownshipsService) {}

  private async listModel(actor: AuthUser, extra: Record<string, unknown> = {}) {
    return { title: '乡镇与村（社区）', townships: await this.townships.listWithVillages(actor, true), ...extra };
  }

  @Get('townships')
  @Render('admin/townships')
  list(@CurrentUser() actor: AuthUser) {
    return this.listModel(actor, { values: {} });
  }

  @Post('townships')
  async create(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(TownshipDto, body);
    await handleForm(res, 'admin/townships', () => this.listModel(actor), body, async () => {
      const t = await this.townships.saveTownship(actor, value);
      flash(req, `已添加乡镇 ${t.name}`);
      return '/admin/townships';
    }, errors);
  }

  @Get('townships/:id')
  @Render('admin/township')
  async show(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number) {
    const township = await this.townships.get(actor, id);
    return { title: township.name, township, values: township, villageValues: { type: '村' } };
  }

  @Post('townships/:id')
  async update(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const township = await this.townships.get(actor, id);
    const { value, errors } = validateInput(TownshipDto, { active: false, ...body });
    await handleForm(res, 'admin/township', () => ({ title: township.name, township, villageValues: { type: '村' } }), body, async () => {
      await this.townships.saveTownship(actor, value, id);
      flash(req, '已保存');
      return `/admin/townships/${id}`;
    }, errors);
  }

  @Post('townships/:id/villages')
  async addVillage(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const township = await this.townships.get(actor, id);
    const { value, errors } = validateInput(VillageDto, { ...body, townshipId: id });
    await handleForm(
      res,
      'admin/township',
      () => ({ title: township.name, township, values: township, villageForm: true, villageValues: body }),
      { ...township },
      async () => {
        const v = await this.townships.saveVillage(actor, value);
        flash(req, `已添加 ${v.name}`);
        return `/admin/townships/${id}`;
      },
      errors,
    );
  }

  @Get('villages/:id')
  @Render('admin/village')
  async village(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number) {
    const village = await this.townships.getVillage(actor, id);
    return { title: village.name, village, values: village };
  }

  @Post('villages/:id')
  async updateVillage(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const village = await this.townships.getVillage(actor, id);
    const { value, errors } = validateInput(VillageDto, { active: false, ...body, townshipId: village.townshipId });
    await handleForm(res, 'admin/village', () => ({ title: village.name, village }), body, async () => {
      await this.townships.saveVillage(actor, value, id);
      flash(req, '已保存');
      return `/admin/townships/${village.townshipId}`;
    }, errors);
  }
}
