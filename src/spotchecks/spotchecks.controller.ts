import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { flash, handleForm } from '../common/forms';
import { validateInput } from '../common/validation';
import { TownshipsService } from '../townships/townships.service';
import { SPOT_RESULT_LABELS, SPOT_RESULTS } from './entities/spot-check.entity';
import { DrawDto, SpotChecksService, SpotResultDto } from './spotchecks.service';

@Controller('spot-checks')
@Roles('supervisor')
export class SpotChecksController {
  constructor(
    private readonly spots: SpotChecksService,
    private readonly townships: TownshipsService,
  ) {}

  private async listModel(user: AuthUser, extra: Record<string, unknown> = {}) {
    const townships = await this.townships.listWithVillages(user);
    const tName = new Map(townships.map((t) => [t.id, t.name]));
    const rows = (await this.spots.list(user)).map((s) => ({ ...s, townshipName: s.townshipId ? tName.get(s.townshipId) : '全县' }));
    return { title: '随机抽查', townships, rows, values: { size: 10 }, ...extra };
  }

  @Get()
  @Render('spotchecks/list')
  list(@CurrentUser() user: AuthUser) {
    return this.listModel(user);
  }

  @Post()
  async draw(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(DrawDto, body);
    await handleForm(res, 'spotchecks/list', () => this.listModel(actor), body, async () => {
      const sc = await this.spots.draw(actor, value);
      flash(req, `已从 ${sc.population} 件已办结案件中随机抽取`);
      return `/spot-checks/${sc.id}`;
    }, errors);
  }

  @Get(':id')
  @Render('spotchecks/show')
  async show(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number) {
    const d = await this.spots.get(user, id);
    return { title: `随机抽查 #${id}`, ...d, resultOptions: SPOT_RESULTS.map((value) => ({ value, label: SPOT_RESULT_LABELS[value] })) };
  }

  @Post(':id/:caseNo')
  async record(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Param('caseNo') caseNo: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(SpotResultDto, body);
    await handleForm(res, 'spotchecks/show', async () => ({ title: `随机抽查 #${id}`, ...(await this.spots.get(actor, id)), resultOptions: SPOT_RESULTS.map((v) => ({ value: v, label: SPOT_RESULT_LABELS[v] })) }), body, async () => {
      await this.spots.record(actor, id, caseNo, value);
      flash(req, `已记录 ${caseNo} 的抽查结果`);
      return `/spot-checks/${id}`;
    }, errors);
  }
}
