import { nameKey } from '../common/names';
import { Injectable, NotFoundException } from '@nestjs/common';
import type ExcelJS from 'exceljs';
import { excelJs } from '../common/lazy-modules';
import type { Writable } from 'stream';
import { DataSource, In, IsNull, MoreThan } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { dayNumber, shanghaiToday, ymdOf } from '../calendar/work-calendar';
import { PROGRAM_LABELS, PROGRAMS, Program } from '../cases/case.enums';
import { Clock } from '../common/clock';
import { ID_NUMBER_MESSAGES, idNumberProblem, normaliseIdNumber } from '../common/identity';
import { maskIdNumber } from '../common/masking';
import { FieldError, InputInvalidException, validateInput } from '../common/validation';
import { xlsxProblem } from '../common/xlsx-guard';
import { DbWriter } from '../database/db-writer.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { Township } from '../townships/entities/township.entity';
import { Village } from '../townships/entities/village.entity';
import { EndRelativeDto, RelativeDto } from './dto/relative.dto';
import { RelativeRegistration } from './entities/relative-registration.entity';
import { searchRegistrations, staffUserByName } from './protection.repository';

/** Columns of the .xlsx export and import, in order (Chinese headers, as the bureau keeps them). */
export const RELATIVE_COLUMNS: { header: string; key: keyof RelativeDto | 'townshipName' | 'villageName' | 'programLabel' | 'endedAt' | 'endReason'; width: number }[] = [
  { header: '工作人员姓名', key: 'staffName', width: 12 },
  { header: '职务', key: 'staffPost', width: 14 },
  { header: '单位', key: 'staffUnit', width: 22 },
  { header: '乡镇', key: 'townshipName', width: 12 },
  { header: '村（社区）', key: 'villageName', width: 14 },
  { header: '任职日期', key: 'appointedAt', width: 12 },
  { header: '亲属姓名', key: 'relativeName', width: 12 },
  { header: '亲属身份证号码', key: 'relativeIdNumber', width: 22 },
  { header: '关系', key: 'relationship', width: 10 },
  { header: '救助项目', key: 'programLabel', width: 14 },
  { header: '享受救助起始日期', key: 'startDate', width: 14 },
  { header: '备案日期', key: 'registeredAt', width: 12 },
  { header: '县级入户核查日期', key: 'homeVisitDate', width: 14 },
  { header: '县级入户核查结果', key: 'homeVisitResult', width: 30 },
  { header: '终止日期', key: 'endedAt', width: 12 },
  { header: '终止原因', key: 'endReason', width: 20 },
];

/** 近亲属备案: the register, its search, import and export. */
@Injectable()
export class RelativesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly deadlines: DeadlinesService,
  ) {}

  /** The register of the reader's county (a county keeps its own). */
  async search(user: AuthUser, q: { text?: string; townshipId?: number; status?: string }) {
    return searchRegistrations(this.dataSource.manager, { ...q, countyCodes: user.countyCodes ?? [], idNumber: q.text ? normaliseIdNumber(q.text) : undefined });
  }

  /** A registration of the reader's county; another county's is not found. */
  async get(user: AuthUser, id: number): Promise<RelativeRegistration> {
    const r = await this.dataSource.getRepository(RelativeRegistration).findOneBy({ id, countyCode: In([...(user.countyCodes ?? [])]) });
    if (!r) throw new NotFoundException({ message: '未找到该备案' });
    return r;
  }

  /**
   * Registrations not yet filed whose limit after appointment (the editable relativeRegistration
   * rule, 1 month by default: seed 002) ends within 30 days or has passed, and those whose due
   * date cannot be computed while the holiday calendar lacks the year.
   */
  async reminders(user: AuthUser) {
    const today = shanghaiToday(this.clock.now());
    const soon = ymdOf(dayNumber(today)! + 30);
    const pending = await this.dataSource.getRepository(RelativeRegistration).find({ where: { registeredAt: IsNull(), endedAt: IsNull(), countyCode: In([...(user.countyCodes ?? [])]) }, order: { appointedAt: 'ASC' } });
    return pending
      .filter((r) => r.appointedAt && (!r.dueDate || r.dueDate <= soon))
      .map((r) => ({ id: r.id, staffName: r.staffName, staffPost: r.staffPost, relativeName: r.relativeName, appointedAt: r.appointedAt, due: r.dueDate, overdue: !!r.dueDate && r.dueDate < today }));
  }

  /** Rules across fields and references; returns every problem. */
  async check(actor: AuthUser, dto: RelativeDto): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    if (dto.relativeIdNumber) {
      const p = idNumberProblem(dto.relativeIdNumber);
      if (p) errors.push({ field: 'relativeIdNumber', message: ID_NUMBER_MESSAGES[p] });
    }
    if (dto.townshipId && !(await this.dataSource.getRepository(Township).findOneBy({ id: dto.townshipId, countyCode: actor.regionCode ?? '' }))) errors.push({ field: 'townshipId', message: '所选乡镇不存在' });
    if (dto.villageId) {
      const v = await this.dataSource.getRepository(Village).findOneBy({ id: dto.villageId });
      if (!v) errors.push({ field: 'villageId', message: '所选村（社区）不存在' });
      else if (dto.townshipId && v.townshipId !== dto.townshipId) errors.push({ field: 'villageId', message: '该村（社区）不属于所选乡镇' });
    }
    for (const f of ['appointedAt', 'startDate', 'registeredAt', 'homeVisitDate'] as const) {
      if (dto[f] && dayNumber(dto[f]!) === null) errors.push({ field: f, message: '日期不存在' });
    }
    return errors;
  }

  private staffUser(actor: AuthUser, dto: RelativeDto): Promise<number | null> {
    return staffUserByName(this.dataSource.manager, actor.regionCode ?? '', nameKey(dto.staffName), dto.townshipId ?? null);
  }

  async save(actor: AuthUser, dto: RelativeDto, id?: number): Promise<RelativeRegistration> {
    const errors = await this.check(actor, dto);
    if (errors.length) throw new InputInvalidException(errors);
    const staffUserId = await this.staffUser(actor, dto);
    const now = this.clock.now();
    return this.writer.write(async (m) => {
      const repo = m.getRepository(RelativeRegistration);
      const r = id ? await repo.findOneBy({ id, countyCode: actor.regionCode ?? '' }) : repo.create({ createdAt: now, countyCode: actor.regionCode ?? '' });
      if (!r) throw new NotFoundException({ message: '未找到该备案' });
      Object.assign(r, {
        staffName: dto.staffName,
        staffPost: dto.staffPost,
        staffUnit: dto.staffUnit,
        townshipId: dto.townshipId ?? null,
        villageId: dto.villageId ?? null,
        staffUserId,
        appointedAt: dto.appointedAt ?? null,
        relativeName: dto.relativeName,
        relativeIdNumber: dto.relativeIdNumber ? normaliseIdNumber(dto.relativeIdNumber) : null,
        relationship: dto.relationship,
        program: (dto.program ?? null) as Program | null,
        startDate: dto.startDate ?? null,
        registeredAt: dto.registeredAt ?? null,
        homeVisitDate: dto.homeVisitDate ?? null,
        homeVisitResult: dto.homeVisitResult ?? null,
        updatedAt: now,
        updatedBy: actor.displayName,
      });
      // due from the appointment by the editable rule (recomputed when the rule or the calendar changes)
      r.dueDate = r.appointedAt && !r.registeredAt && !r.endedAt ? (await this.deadlines.dueOf('relativeRegistration', r.appointedAt, r.countyCode)).dueDate : null;
      const saved = await repo.save(r);
      await this.audit.record(actor, id ? 'relative.update' : 'relative.create', 'relativeRegistration', String(saved.id), { staffName: dto.staffName, relativeName: dto.relativeName });
      return saved;
    });
  }

  async end(actor: AuthUser, id: number, dto: EndRelativeDto): Promise<void> {
    await this.get(actor, id);
    await this.writer.write(async (m) => {
      await m.getRepository(RelativeRegistration).update({ id, countyCode: actor.regionCode ?? '' }, { endedAt: dto.endedAt, endReason: dto.endReason, updatedAt: this.clock.now(), updatedBy: actor.displayName });
      await this.audit.record(actor, 'relative.end', 'relativeRegistration', String(id), { ...dto });
    });
  }

  /** The whole register as .xlsx, streamed, with Chinese headers. */
  async exportXlsx(user: AuthUser, out: Writable): Promise<void> {
    const [townships, villages] = await Promise.all([this.dataSource.getRepository(Township).find(), this.dataSource.getRepository(Village).find()]);
    const tName = new Map(townships.map((t) => [t.id, t.name]));
    const vName = new Map(villages.map((v) => [v.id, v.name]));
    const wb = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true });
    const ws = wb.addWorksheet('近亲属备案');
    ws.columns = RELATIVE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    ws.getRow(1).font = { bold: true };
    let lastId = 0;
    for (;;) {
      const rows = await this.dataSource.getRepository(RelativeRegistration).find({ where: { id: MoreThan(lastId), countyCode: In([...(user.countyCodes ?? [])]) }, order: { id: 'ASC' }, take: 2000 });
      if (!rows.length) break;
      for (const r of rows) {
        ws.addRow({
          ...r,
          townshipName: r.townshipId ? tName.get(r.townshipId) : '',
          villageName: r.villageId ? vName.get(r.villageId) : '',
          programLabel: r.program ? PROGRAM_LABELS[r.program] : '',
        }).commit();
      }
      lastId = rows[rows.length - 1].id;
    }
    ws.commit();
    await wb.commit();
  }

  /**
   * Imports an .xlsx in the export's layout. All or nothing: any bad row stops the import and
   * every problem is reported with its row number.
   */
  async importXlsx(actor: AuthUser, buffer: Buffer): Promise<number> {
    // Sizes first (STACK.md pitfall 11): exceljs unpacks a whole sheet into memory, and a
    // 400 kB file that unpacks to 400 MB would stop the server for everyone.
    const problem = await xlsxProblem(buffer);
    if (problem) throw new InputInvalidException([{ field: 'file', message: problem }]);
    const wb = new (excelJs().Workbook)();
    try {
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    } catch {
      throw new InputInvalidException([{ field: 'file', message: '无法读取该文件，请上传 .xlsx 格式的表格' }]);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new InputInvalidException([{ field: 'file', message: '表格中没有工作表' }]);
    const headers = new Map<string, number>();
    ws.getRow(1).eachCell((cell, col) => headers.set(String(cell.value ?? '').trim(), col));
    const missing = ['工作人员姓名', '职务', '单位', '亲属姓名', '关系'].filter((h) => !headers.has(h));
    if (missing.length) throw new InputInvalidException([{ field: 'file', message: `缺少列：${missing.join('、')}` }]);
    // names are looked up in the importing county only
    const townships = await this.dataSource.getRepository(Township).findBy({ countyCode: actor.regionCode ?? '' });
    const villages = await this.dataSource.getRepository(Village).findBy({ townshipId: In(townships.map((t) => t.id)) });
    const programByLabel = new Map(PROGRAMS.map((p) => [PROGRAM_LABELS[p], p]));
    const rows: RelativeDto[] = [];
    const errors: FieldError[] = [];
    const text = (row: ExcelJS.Row, h: string): string | undefined => {
      const col = headers.get(h);
      if (!col) return undefined;
      const v = row.getCell(col).value;
      if (v === null || v === undefined || v === '') return undefined;
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      if (typeof v === 'object' && 'text' in (v as object)) return String((v as { text: unknown }).text).trim();
      return String(v).trim();
    };
    for (let i = 2; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      if (!row.hasValues) continue;
      const townshipName = text(row, '乡镇');
      const township = townshipName ? townships.find((t) => t.name === townshipName) : undefined;
      const villageName = text(row, '村（社区）');
      const village = villageName ? villages.find((v) => v.name === villageName && (!township || v.townshipId === township.id)) : undefined;
      const programLabel = text(row, '救助项目');
      const raw = {
        staffName: text(row, '工作人员姓名'),
        staffPost: text(row, '职务'),
        staffUnit: text(row, '单位'),
        townshipId: township?.id,
        villageId: village?.id,
        appointedAt: text(row, '任职日期'),
        relativeName: text(row, '亲属姓名'),
        relativeIdNumber: text(row, '亲属身份证号码'),
        relationship: text(row, '关系'),
        program: programLabel ? (programByLabel.get(programLabel as never) ?? programLabel) : undefined,
        startDate: text(row, '享受救助起始日期'),
        registeredAt: text(row, '备案日期'),
        homeVisitDate: text(row, '县级入户核查日期'),
        homeVisitResult: text(row, '县级入户核查结果'),
      };
      const { value, errors: e1 } = validateInput(RelativeDto, raw);
      const e2 = e1.length ? [] : await this.check(actor, value);
      if (townshipName && !township) e1.push({ field: 'townshipId', message: `乡镇「${townshipName}」不存在` });
      if (villageName && !village) e1.push({ field: 'villageId', message: `村（社区）「${villageName}」不存在` });
      for (const e of [...e1, ...e2]) errors.push({ field: 'file', message: `第 ${i} 行：${e.message}` });
      rows.push(value);
    }
    if (errors.length) throw new InputInvalidException(errors.slice(0, 50));
    if (!rows.length) throw new InputInvalidException([{ field: 'file', message: '表格中没有数据行' }]);
    for (const dto of rows) await this.save(actor, dto);
    return rows.length;
  }

  /** What a list row shows: the relative's ID masked (DOMAIN §7). */
  static rowView(r: RelativeRegistration, tName: Map<number, string>) {
    return {
      ...r,
      townshipName: r.townshipId ? tName.get(r.townshipId) : '',
      relativeIdMasked: maskIdNumber(r.relativeIdNumber),
      programLabel: r.program ? PROGRAM_LABELS[r.program] : '',
      due: r.registeredAt || r.endedAt ? null : r.dueDate,
    };
  }
}

