import { Injectable, NotFoundException } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DataSource, In } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { KIND_LABELS } from '../cases/case.enums';
import { Clock } from '../common/clock';
import { formatDateTime, fromDbDateTime, parseShanghaiDateTime } from '../common/time';
import { InputInvalidException, ToInt, Trim } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { SPOT_RESULT_LABELS, SPOT_RESULTS, SpotCheck, SpotCheckItem } from './entities/spot-check.entity';
import type { SpotResult } from './entities/spot-check.entity';
import { callbackPopulation, drawCallbackSample, spotCheckCaseId, spotCheckItems, spotCheckResults } from './spotchecks.repository';

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
    // Only cases whose reporter can be called back (留有电话), drawn from the cases the supervisor
    // may see: one they are recused from is never in their sample.
    const period = { from, until: new Date(to.getTime() + 86400_000), townshipId: dto.townshipId };
    const population = await callbackPopulation(this.dataSource.manager, actor, period);
    if (!population) throw new InputInvalidException([{ field: 'from', message: '该期间没有可回访（留有电话）的已办结案件' }]);
    const picked = await drawCallbackSample(this.dataSource.manager, actor, period, dto.size);
    const now = this.clock.now();
    const id = await this.writer.write(async (m) => {
      const sc = await m.getRepository(SpotCheck).save({
        countyCode: actor.regionCode ?? '', drawnAt: now, drawnById: actor.id, drawnByName: actor.displayName, townshipId: dto.townshipId ?? null, fromDate: dto.from, toDate: dto.to, population,
      });
      await m.getRepository(SpotCheckItem).insert(picked.map((caseId) => ({ spotCheckId: sc.id, caseId })));
      await this.audit.record(actor, 'spotcheck.draw', 'spotCheck', String(sc.id), { size: picked.length, population });
      return sc.id;
    });
    return this.dataSource.getRepository(SpotCheck).findOneByOrFail({ id });
  }

  /** The checks of the viewer's counties, newest first. */
  list(viewer: AuthUser): Promise<SpotCheck[]> {
    return this.dataSource.getRepository(SpotCheck).find({ where: { countyCode: In([...(viewer.countyCodes ?? [])]) }, order: { id: 'DESC' }, take: 100 });
  }

  /** One check with the items the viewer may see (another supervisor's sample may hold a case they are recused from). */
  async get(viewer: AuthUser, id: number) {
    const sc = await this.dataSource.getRepository(SpotCheck).findOneBy({ id, countyCode: In([...(viewer.countyCodes ?? [])]) });
    if (!sc) throw new NotFoundException({ message: '未找到该抽查' });
    const items = await spotCheckItems(this.dataSource.manager, viewer, id);
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
    const caseId = await spotCheckCaseId(this.dataSource.manager, actor, id, caseNo);
    if (caseId === undefined) throw new NotFoundException({ message: '该案件不在本次抽查中' });
    await this.writer.write(async (m) => {
      await m.getRepository(SpotCheckItem).update({ spotCheckId: id, caseId }, { result: dto.result, note: dto.note ?? null, checkedAt: this.clock.now(), checkedByName: actor.displayName });
    });
  }

  /** Results of checks made in a period, for the dashboard. */
  async totals(viewer: AuthUser, from: Date, to: Date, townshipId: number | null) {
    const rows = await spotCheckResults(this.dataSource.manager, viewer, from, to, townshipId);
    const n = (r: SpotResult) => rows.find((x) => x.result === r)?.n ?? 0;
    return { checked: rows.reduce((a, x) => a + x.n, 0), confirmed: n('confirmed'), problem: n('problem'), unreachable: n('unreachable') };
  }
}
