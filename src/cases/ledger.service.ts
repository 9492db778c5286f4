import { Inject, Injectable } from '@nestjs/common';
import type { Writable } from 'stream';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { shanghaiToday } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { Slots, SlotsBusyException } from '../common/slots';
import { ClientGoneError, siblingWorker, streamFromWorker } from '../common/worker-thread';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { DatabaseTarget } from '../database/engine';
import { COUNTY_CASE_ROLES } from '../users/role';
import { caseScopeSql } from './case-access';
import { CaseQueryService } from './case-query.service';
import { ledgerBatchStatement } from './case-query.repository';
import { ListCasesDto } from './dto/list-cases.dto';
import { BATCH, LedgerNote, LedgerPlan, SELECTED } from './ledger-encode';
import { classifySearch, PERSONAL_SEARCH_KINDS } from './search-query';

export { csvField, csvLine, csvText, dbTime, FREE_TEXT_COLUMNS, LEDGER_COLUMNS, NOTICE_CELL_WORDS } from './ledger-encode';

/** An export found by a person's data names its first cases in the audit (and counts them all). */
const AUDITED_CASE_NOS = 1000;

/**
 * Stands for the last case id of the previous batch while the query's SQL is built once. A
 * string, because TypeORM writes numbers into the SQL text, and each batch would then prepare
 * (and cache) a statement of its own.
 */
const LAST_ID_MARK = '\u0000ledger-last-id';

const LEDGER_WORKER = siblingWorker(__filename, 'ledger.worker');

/**
 * A worker's heap (MB): its batches are small and the zip waits for the client (zipCaughtUp).
 * Two exports at once must keep the server under 300 MB.
 */
const WORKER_HEAP = { oldMb: 64, youngMb: 24 };

/**
 * The ledger (台账) of the case list's current filters, as .xlsx (exceljs streaming writer) or CSV
 * (UTF-8 with BOM so Excel reads the Chinese), one row per case, streamed in batches of 500:
 * memory stays flat however many rows. Reporter details are masked as in any list (DOMAIN §7),
 * and for township staff withheld exactly as on their pages (reporterFor).
 *
 * The rows are read and encoded in a worker thread on a read connection of its own
 * (ledger-encode.ts), so a long export never holds the request loop; this thread builds the query
 * (filters and the viewer's scope), writes what the worker sends at the client's pace, and audits.
 */
@Injectable()
export class LedgerService {
  /** Exports running at once in this process, each a worker thread (EXPORTS_AT_ONCE). */
  readonly slots: Slots;

  constructor(
    private readonly dataSource: DataSource,
    private readonly query: CaseQueryService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.slots = new Slots(config.exportsAtOnce, config.exportWaitSeconds * 1000);
  }

  now(): Date {
    return this.clock.now();
  }

  /**
   * `begin` runs once the export has its place and before its first byte (the download's headers):
   * an export that finds every place taken fails with SlotsBusyException before it.
   */
  csv(user: AuthUser, f: ListCasesDto, out: Writable, begin?: () => void): Promise<number> {
    return this.export('csv', user, f, out, begin);
  }

  xlsx(user: AuthUser, f: ListCasesDto, out: Writable, begin?: () => void): Promise<number> {
    return this.export('xlsx', user, f, out, begin);
  }

  /** The export's plan: everything the worker needs, decided here (the scope above all). */
  private plan(format: 'csv' | 'xlsx', user: AuthUser, f: ListCasesDto, keepFound: number): LedgerPlan {
    const county = COUNTY_CASE_ROLES.includes(user.role);
    // Each selected value costs a string: county exports leave out what only reporterFor reads.
    const columns = county ? SELECTED.slice(0, -2) : SELECTED;
    // The query is built once (the filters, the viewer's scope, keyset paging on the id), rows as arrays.
    const [sql, params] = ledgerBatchStatement(this.query.filtered(user, { ...f, cursor: undefined, limit: undefined }), columns, LAST_ID_MARK, BATCH);
    const lastAt = params.indexOf(LAST_ID_MARK);
    if (lastAt < 0 || params.lastIndexOf(LAST_ID_MARK) !== lastAt) throw new Error('ledger query: keyset parameter not found');
    params[lastAt] = 0;
    const { sql: scopeSql, params: scopeParams } = caseScopeSql(user);
    return {
      target: this.target(),
      format,
      sql,
      params,
      lastAt,
      user: { ...user },
      county,
      today: shanghaiToday(this.clock.now()),
      // the earlier case's number only where the viewer may see that case too
      repeatScope: { sql: scopeSql, params: scopeParams },
      keepFound,
    };
  }

  /** The database this app reads, for the worker's own connection. */
  private target(): DatabaseTarget {
    const o = this.dataSource.options as { type: string; database?: string; url?: string };
    return o.type === 'postgres' ? { engine: 'postgres', url: o.url! } : { engine: 'sqlite', path: o.database! };
  }

  private async export(format: 'csv' | 'xlsx', user: AuthUser, f: ListCasesDto, out: Writable, begin?: () => void): Promise<number> {
    const release = await this.slots.take();
    if (!release) throw new SlotsBusyException(`正在生成的台账导出较多（${this.slots.max} 个），请稍后再试`, 30);
    try {
      // a client that left while it waited for the place: nothing to make
      if (out.destroyed) return 0;
      begin?.();
      return await this.exportIn(format, user, f, out);
    } finally {
      release();
    }
  }

  private async exportIn(format: 'csv' | 'xlsx', user: AuthUser, f: ListCasesDto, out: Writable): Promise<number> {
    const search = classifySearch(f.q);
    const keep = search && PERSONAL_SEARCH_KINDS.includes(search.kind) ? AUDITED_CASE_NOS : 0;
    const disclosed: string[] = [];
    const found: string[] = [];
    let made = 0;
    const onNote = (n: LedgerNote) => {
      made += n.rows;
      disclosed.push(...n.disclosed);
      found.push(...n.found);
    };
    let rows: number;
    try {
      rows = await streamFromWorker<number, LedgerNote>(LEDGER_WORKER, this.plan(format, user, f, keep), out, { onNote, heap: WORKER_HEAP });
    } catch (e) {
      if (!(e instanceof ClientGoneError)) throw e;
      // The client left part-way: what it was sent of disclosed reporters is still audited.
      await this.auditDisclosed(user, format, made, disclosed);
      return 0;
    }
    await this.auditDisclosed(user, format, rows, disclosed);
    await this.query.auditSearch(user, search, found, { export: format, rows });
    await new Promise<void>((resolve) => out.end(resolve));
    return rows;
  }

  /** One audit row per export that held reporters disclosed to the exporting township, naming those cases. */
  private async auditDisclosed(user: AuthUser, format: 'csv' | 'xlsx', rows: number, caseNos: string[]): Promise<void> {
    if (!caseNos.length) return;
    await this.audit.record(user, 'reporter.export', 'export', format, { caseNos, rows });
  }
}
