import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { options, PROGRAM_LABELS, PROGRAMS } from '../cases/case.enums';
import { flash, handleForm } from '../common/forms';
import { checkQuery, errorMap, FieldError, InputInvalidException, QUERY_INVALID_MESSAGE, validateInput } from '../common/validation';
import { TownshipsService } from '../townships/townships.service';
import { EndRelativeDto, ListRelativesQuery, RELATIONSHIPS, RelativeDto } from './dto/relative.dto';
import { RelativesService } from './relatives.service';

/** 近亲属备案 pages, kept by the supervisors (DOMAIN §2). */
@Controller('relatives')
@Roles('supervisor')
export class RelativesController {
  constructor(
    private readonly relatives: RelativesService,
    private readonly townships: TownshipsService,
  ) {}

  private async listModel(user: AuthUser, query: Record<string, unknown>, extra: Record<string, unknown> = {}, errors: FieldError[] = []) {
    const townships = await this.townships.listWithVillages(user);
    const tName = new Map(townships.map((t) => [t.id, t.name]));
    const { value } = checkQuery(ListRelativesQuery, query, false);
    const rows = errors.length ? [] : await this.relatives.search(user, { text: value.q, townshipId: value.townshipId, status: value.status });
    return {
      title: '近亲属备案',
      townships,
      filters: query,
      errors: errorMap(errors),
      errorSummary: errors.length ? QUERY_INVALID_MESSAGE : null,
      rows: rows.map((r) => RelativesService.rowView(r, tName)),
      reminders: await this.relatives.reminders(user),
      ...extra,
    };
  }

  @Get()
  @Render('protection/relatives')
  list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const { errors } = checkQuery(ListRelativesQuery, query, false);
    if (errors.length) res.status(400);
    return this.listModel(user, query, {}, errors);
  }

  private async formModel(user: AuthUser, extra: Record<string, unknown> = {}) {
    return {
      title: '近亲属备案登记',
      townships: await this.townships.listWithVillages(user),
      relationshipOptions: RELATIONSHIPS,
      programOptions: options(PROGRAMS, PROGRAM_LABELS),
      ...extra,
    };
  }

  @Get('new')
  @Render('protection/relative-form')
  newForm(@CurrentUser() user: AuthUser) {
    return this.formModel(user, { isNew: true, values: {} });
  }

  @Post()
  async create(@CurrentUser() actor: AuthUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateInput(RelativeDto, body);
    await handleForm(res, 'protection/relative-form', () => this.formModel(actor, { isNew: true }), body, async () => {
      const r = await this.relatives.save(actor, value);
      flash(req, `已登记 ${r.staffName} 的近亲属 ${r.relativeName}`);
      return '/relatives';
    }, errors);
  }

  @Get('export.xlsx')
  async export(@CurrentUser() user: AuthUser, @Res() res: Response) {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('近亲属备案.xlsx')}`);
    await this.relatives.exportXlsx(user, res);
  }

  /** The file is parsed by multer before the CSRF check (app.setup), so the token in the form holds. */
  @Post('import')
  async import(@CurrentUser() actor: AuthUser, @Req() req: Request, @Res() res: Response) {
    const file = (req as Request & { file?: { buffer: Buffer } }).file;
    try {
      if (!file) throw new InputInvalidException([{ field: 'file', message: '请选择要导入的 .xlsx 文件' }]);
      const n = await this.relatives.importXlsx(actor, file.buffer);
      flash(req, `已导入 ${n} 条近亲属备案`);
      res.redirect(303, '/relatives');
    } catch (e) {
      if (e instanceof InputInvalidException) {
        res.status(400).render('protection/relatives', await this.listModel(actor, {}, { importErrors: e.fieldErrors.map((x) => x.message) }));
        return;
      }
      throw e;
    }
  }

  @Get(':id/edit')
  @Render('protection/relative-form')
  async editForm(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number) {
    const r = await this.relatives.get(user, id);
    return this.formModel(user, { r, values: r });
  }

  @Post(':id')
  async update(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const r = await this.relatives.get(actor, id);
    const { value, errors } = validateInput(RelativeDto, body);
    await handleForm(res, 'protection/relative-form', () => this.formModel(actor, { r }), body, async () => {
      await this.relatives.save(actor, value, id);
      flash(req, '已保存');
      return '/relatives';
    }, errors);
  }

  @Post(':id/end')
  async end(@CurrentUser() actor: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const r = await this.relatives.get(actor, id);
    const { value, errors } = validateInput(EndRelativeDto, body);
    await handleForm(res, 'protection/relative-form', () => this.formModel(actor, { r, values: r, endForm: true }), body, async () => {
      await this.relatives.end(actor, id, value);
      flash(req, `已终止 ${r.staffName} 的近亲属 ${r.relativeName} 的备案`);
      return '/relatives';
    }, errors);
  }
}

