import { caseScopeSql } from '../cases/case-access';
import { Injectable, NotFoundException } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { CASE_STATUS_LABELS, KIND_LABELS } from '../cases/case.enums';
import { Clock } from '../common/clock';
import { formatDateTime, fromDbDateTime, parseShanghaiDateTime, toDbDateTime } from '../common/time';
import { InputInvalidException, ToInt, Trim } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { SPOT_RESULT_LABELS, SPOT_RESULTS, SpotCheck, SpotCheckItem } from './entities/spot-check.entity';
import type { SpotResult } from './entities/spot-check.entity';

export class DrawDto {
  @ToInt()
  @IsOptional()
  @IsInt({ message: '乡镇不正确' })
  townshipId?: number;

  @Trim()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '请填写开始日期' })
  from: string;

  @Trim()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '请填写结束日期' })
  to: string;

  @ToInt()
  @IsInt({ message: '抽查件数应为1至200' })
  @Min(1, { message: '抽查件数应为1至200' })
  @Max(200, { message: '抽查件数应为1至200' })
  size: number;
}

export class SpotResultDto {
  @Trim()
  @IsIn(SPOT_RESULTS as unknown as string[], { message: '请选择抽查结果' })
  result: SpotResult;

  @Trim()
  @IsOptional()
  @IsString({ message: '说明应为文字' })
  @Length(1, 1000, { message: '说明不超过1000个字' })
  note?: string;
}

/** Random samples of closed cases for callback checks, their results, and the totals for the statistics. */
@Injectable()
export class SpotChecksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async draw(actor: AuthUser, dto: DrawDto): Promise<SpotCheck> {
    const from = parseShanghaiDateTime(dto.from);
    const to = parseShanghaiDateTime(dto.to);
    if (!from) throw new InputInvalidException([{ field: 'from', message: '开始日期不存在' }]);
    if (!to) throw new InputInvalidException([{ field: 'to', message: '结束日期不存在' }]);
    if (to < from) throw new InputInvalidException([{ field: 'to', message: '结束日期早于开始日期' }]);
    // Only cases whose reporter can be called back: anonymous ones and those without a phone
    // number would only inflate 无法联系.
    // Drawn from the cases the supervisor may see: one they are recused from is never in their sample.
    const scope = caseScopeSql(actor);
    const where = `c.status = 'closed' AND c.closedAt >= ? AND c.closedAt < ? AND c.reporterType <> 'anonymous' AND c.reporterPhone IS NOT NULL${dto.townshipId ? ' AND c.townshipId = ?' : ''} AND ${scope.sql}`;
    const params = [toDbDateTime(from), toDbDateTime(new Date(to.getTime() + 86400_000)), ...(dto.townshipId ? [dto.townshipId] : []), ...scope.params];
    const population = Number((await this.dataSource.query(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`, params))[0].n);
    if (!population) throw new InputInvalidException([{ field: 'from', message: '该期间没有可回访（留有电话）的已办结案件' }]);
    // Drawn by the database's random() (SQLite's and PostgreSQL's alike): every such case of the period has the same chance.
    const picked = (await this.dataSource.query(`SELECT c.id FROM cases c WHERE ${where} ORDER BY random() LIMIT ?`, [...params, dto.size])) as { id: number }[];
    const now = this.clock.now();
    const id = await this.writer.write(async (m) => {
      const sc = await m.getRepository(SpotCheck).save({
        drawnAt: now, drawnById: actor.id, drawnByName: actor.displayName, townshipId: dto.townshipId ?? null, fromDate: dto.from, toDate: dto.to, population,
      });
      await m.getRepository(SpotCheckItem).insert(picked.map((p) => ({ spotCheckId: sc.id, caseId: p.id })));
      await this.audit.record(actor, 'spotcheck.draw', 'spotCheck', String(sc.id), { size: picked.length, population });
      return sc.id;
    });
    return this.dataSource.getRepository(SpotCheck).findOneByOrFail({ id });
  }

  list(): Promise<SpotCheck[]> {
    return this.dataSource.getRepository(SpotCheck).find({ order: { id: 'DESC' }, take: 100 });
  }

  /** One check with the items the viewer may see (another supervisor's sample may hold a case they are recused from). */
  async get(viewer: AuthUser, id: number) {
    const sc = await this.dataSource.getRepository(SpotCheck).findOneBy({ id });
    if (!sc) throw new NotFoundException({ message: '未找到该抽查' });
    const scope = caseScopeSql(viewer);
    const items = (await this.dataSource.query(
      `SELECT i.caseId, i.result, i.note, i.checkedAt, i.checkedByName, c.caseNo, c.kind, c.status, c.reporterType, c.reporterName, c.reporterPhone, c.closedAt, t.name AS townshipName
       FROM spot_check_items i JOIN cases c ON c.id = i.caseId LEFT JOIN townships t ON t.id = c.townshipId WHERE i.spotCheckId = ? AND ${scope.sql} ORDER BY c.id`,
      [id, ...scope.params],
    )) as { caseId: number; result: SpotResult | null; note: string | null; caseNo: string; kind: keyof typeof KIND_LABELS; status: keyof typeof CASE_STATUS_LABELS; reporterType: string; reporterName: string | null; reporterPhone: string | null; closedAt: string; townshipName: string | null }[];
    return {
      sc,
      items: items.map((i) => ({
        ...i,
        kindLabel: KIND_LABELS[i.kind],
        resultLabel: i.result ? SPOT_RESULT_LABELS[i.result] : null,
        closedAtText: formatDateTime(fromDbDateTime(i.closedAt)),
        // the supervisor calls the reporter back: name and number shown here (county role)
        reporter: i.reporterType === 'anonymous' ? '匿名' : `${i.reporterName ?? ''} ${i.reporterPhone ?? ''}`,
      })),
    };
  }

  async record(actor: AuthUser, id: number, caseNo: string, dto: SpotResultDto): Promise<void> {
    const scope = caseScopeSql(actor);
    const [row] = (await this.dataSource.query(`SELECT i.caseId FROM spot_check_items i JOIN cases c ON c.id = i.caseId WHERE i.spotCheckId = ? AND c.caseNo = ? AND ${scope.sql}`, [id, caseNo, ...scope.params])) as { caseId: number }[];
    if (!row) throw new NotFoundException({ message: '该案件不在本次抽查中' });
    await this.writer.write(async (m) => {
      await m.getRepository(SpotCheckItem).update({ spotCheckId: id, caseId: row.caseId }, { result: dto.result, note: dto.note ?? null, checkedAt: this.clock.now(), checkedByName: actor.displayName });
    });
  }

  /** Results of checks made in a period, for the dashboard. */
  async totals(viewer: AuthUser, from: Date, to: Date, townshipId: number | null) {
    const scope = caseScopeSql(viewer);
    const rows = (await this.dataSource.query(
      `SELECT i.result, COUNT(*) AS n FROM spot_check_items i JOIN cases c ON c.id = i.caseId
       WHERE i.checkedAt >= ? AND i.checkedAt < ?${townshipId ? ' AND c.townshipId = ?' : ''} AND ${scope.sql} GROUP BY i.result`,
      [toDbDateTime(from), toDbDateTime(to), ...(townshipId ? [townshipId] : []), ...scope.params],
    )) as { result: SpotResult; n: number }[];
    const n = (r: SpotResult) => rows.find((x) => x.result === r)?.n ?? 0;
    return { checked: rows.reduce((a, x) => a + x.n, 0), confirmed: n('confirmed'), problem: n('problem'), unreachable: n('unreachable') };
  }
}
