import type { Database, Statement } from 'better-sqlite3';
import type { EntityManager, QueryRunner } from 'typeorm';
import { toDbDateTime } from '../../common/time';
import { isPostgres } from '../../database/engine';
import { rawDb, stmt } from '../../database/raw';
import { Sql, sqlOf } from '../../database/sql';
import { CaseHistory } from '../entities/case-history.entity';
import { canonicalJson, entryHash } from './history-chain';
import type { NewHistoryEntry } from './history-entry';

/*
 * All SQL of the case history, for both engines. Nothing else in src/ inserts into case_history:
 * a test greps for it, and the database refuses a row that does not continue its case's chain.
 *
 * SQLite: the heads of a batch's cases in one query (json_each), then multi-row INSERTs on
 * prepared statements; the one writer (DbWriter) means nobody else can move a head meanwhile.
 * PostgreSQL: several instances write at once, so the heads are read with the case rows locked
 * (`FOR UPDATE OF c`, in id order so two batches cannot deadlock), `= ANY(?)` for the list of
 * cases; the chain trigger (migration PostgresInit) checks each row and moves its head.
 */

const COLUMNS = 14;
const INSERT_HEAD = `INSERT INTO case_history (caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data, seq, prevHash, hash) VALUES `;
const ROW = `(${Array(COLUMNS).fill('?').join(', ')})`;
/** Rows per INSERT: 50 × 14 parameters, far below SQLite's limit, and few enough round trips. */
const CHUNK = 50;

/**
 * Appends entries to their cases' chains, each case's in the order given: seq and prevHash from
 * each case's head (one query for all the cases of the batch), the hash in TypeScript, then
 * multi-row INSERTs. The AFTER INSERT trigger moves each case's head (case_history_heads) in
 * the same statement. Must run inside the write transaction (DbWriter): the
 * heads read here are only valid while nobody else can write.
 */
export async function insertEntries(m: EntityManager, given: readonly NewHistoryEntry[], firstOfNewCases = false): Promise<void> {
  if (!given.length) return;
  if (isPostgres) return insertEntriesVia(sqlOf(m), given, firstOfNewCases);
  insertEntriesSqlite(rawDb(m), given, firstOfNewCases);
}

/**
 * The heads of cases inserted in the caller's transaction, which have no entry yet: seq 0, no
 * hash, known without a query (intake's first entry; on PostgreSQL the head query was one round
 * trip of ten). Given for a case that has entries, the database's chain check refuses the row.
 */
function emptyHeads(entries: readonly NewHistoryEntry[]): Map<number, { seq: number; hash: string | null }> {
  return new Map(entries.map((e) => [e.caseId, { seq: 0, hash: null }]));
}

/** SQLite, on the raw connection, inside a transaction the caller holds (DbWriter, the bench seeder). */
export function insertEntriesSqlite(db: Database, given: readonly NewHistoryEntry[], firstOfNewCases = false): void {
  // In case order (stable, so each case's entries keep theirs): the heads, the index and the
  // case rows the trigger updates are then met in order; for cases in random order at 1M
  // cases that took a quarter off the inserts.
  const entries = given.length > 1 ? [...given].sort((a, b) => a.caseId - b.caseId) : given;
  const heads = firstOfNewCases ? emptyHeads(entries) : readHeads(db, entries);
  // One buffer of CHUNK rows, reused: a parameter array for the whole batch and its slices
  // were a fifth of the scan's time in the garbage collector.
  const rows = Math.min(CHUNK, entries.length);
  const params: unknown[] = new Array(rows * COLUMNS);
  const full = insertStatement(db, rows);
  let p = 0;
  let left = entries.length;
  // A bulk job stamps all its entries with one instant: convert it once, not per row.
  let atMs = NaN;
  let atIso = '';
  let atDb = '';
  for (const e of entries) {
    if (e.at.getTime() !== atMs) {
      atMs = e.at.getTime();
      atIso = e.at.toISOString();
      atDb = toDbDateTime(e.at);
    }
    const head = heads.get(e.caseId);
    if (!head) throw new Error(`history for case ${e.caseId}, which does not exist`);
    const seq = head.seq + 1;
    const prevHash = head.hash;
    const data = e.data === null || e.data === undefined ? null : canonicalJson(e.data);
    const hash = entryHash(
      { caseId: e.caseId, seq, at: atIso, actorId: e.actorId, actorName: e.actorName, actorRole: e.actorRole, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, data },
      prevHash,
    );
    head.seq = seq;
    head.hash = hash;
    params[p++] = e.caseId;
    params[p++] = atDb;
    params[p++] = e.actorId;
    params[p++] = e.actorName;
    params[p++] = e.actorRole;
    params[p++] = e.type;
    params[p++] = e.action;
    params[p++] = e.fromStatus;
    params[p++] = e.toStatus;
    params[p++] = e.note;
    params[p++] = data;
    params[p++] = seq;
    params[p++] = prevHash;
    params[p++] = hash;
    left--;
    if (p === params.length) {
      full.run(params);
      p = 0;
    } else if (left === 0) {
      insertStatement(db, p / COLUMNS).run(params.slice(0, p));
    }
  }
}

function insertStatement(db: Database, rows: number): Statement {
  // prepared once per size (at most CHUNK of them)
  return stmt(db, INSERT_HEAD + Array(rows).fill(ROW).join(', '));
}

function readHeads(db: Database, entries: readonly NewHistoryEntry[]): Map<number, { seq: number; hash: string | null }> {
  const heads = new Map<number, { seq: number; hash: string | null }>();
  const first = entries[0].caseId;
  if (entries.every((e) => e.caseId === first)) {
    const r = stmt(db, 'SELECT c.id, h.seq, h.hash FROM cases c LEFT JOIN case_history_heads h ON h.caseId = c.id WHERE c.id = ?').raw().get(first) as [number, number | null, string | null] | undefined;
    if (r) heads.set(first, { seq: r[1] ?? 0, hash: r[2] });
    return heads;
  }
  const ids = [...new Set(entries.map((e) => e.caseId))];
  // a case with no entry yet (the one being created) has no head row: seq 0, no hash
  const rows = stmt(db, 'SELECT c.id, h.seq, h.hash FROM cases c LEFT JOIN case_history_heads h ON h.caseId = c.id WHERE c.id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as [number, number | null, string | null][];
  for (const r of rows) heads.set(r[0], { seq: r[1] ?? 0, hash: r[2] });
  return heads;
}

/**
 * PostgreSQL, through the SQL seam: the write's connection, or one pg client of its own inside a
 * transaction the caller holds (the bench seeder).
 */
export async function insertEntriesVia(sql: Sql, given: readonly NewHistoryEntry[], firstOfNewCases = false): Promise<void> {
  if (!given.length) return;
  const entries = given.length > 1 ? [...given].sort((a, b) => a.caseId - b.caseId) : given;
  const heads = firstOfNewCases ? emptyHeads(entries) : new Map<number, { seq: number; hash: string | null }>();
  if (!firstOfNewCases) {
    const ids = [...new Set(entries.map((e) => e.caseId))];
    const found = await sql.rows<[number, number | null, string | null]>(
      'SELECT c.id, h.seq, h.hash FROM cases c LEFT JOIN case_history_heads h ON h.caseId = c.id WHERE c.id = ANY(?) ORDER BY c.id FOR UPDATE OF c',
      [ids],
    );
    for (const r of found) heads.set(r[0], { seq: r[1] ?? 0, hash: r[2] });
  }
  let params: unknown[] = [];
  const flush = async () => {
    if (!params.length) return;
    await sql.run(INSERT_HEAD + Array(params.length / COLUMNS).fill(ROW).join(', '), params);
    params = [];
  };
  for (const e of entries) {
    const head = heads.get(e.caseId);
    if (!head) throw new Error(`history for case ${e.caseId}, which does not exist`);
    const seq = head.seq + 1;
    const prevHash = head.hash;
    const data = e.data === null || e.data === undefined ? null : canonicalJson(e.data);
    const hash = entryHash(
      { caseId: e.caseId, seq, at: e.at.toISOString(), actorId: e.actorId, actorName: e.actorName, actorRole: e.actorRole, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, data },
      prevHash,
    );
    head.seq = seq;
    head.hash = hash;
    params.push(e.caseId, e.at, e.actorId, e.actorName, e.actorRole, e.type, e.action, e.fromStatus, e.toStatus, e.note, data, seq, prevHash, hash);
    if (params.length >= CHUNK * COLUMNS) await flush();
  }
  await flush();
}

/** One case's history in the order it was written (page, API, print). */
export function findForCase(m: EntityManager, caseId: number): Promise<CaseHistory[]> {
  return m.getRepository(CaseHistory).find({ where: { caseId }, order: { seq: 'ASC' } });
}

/** How many entries of one kind a case has (催办 N 次); through the (caseId, seq) index, one case's rows. */
export async function countEntries(m: EntityManager, caseId: number, type: string, action: string): Promise<number> {
  const [row] = (await m.query('SELECT COUNT(*) AS n FROM case_history WHERE caseId = ? AND type = ? AND action = ?', [caseId, type, action])) as { n: number }[];
  return Number(row?.n ?? 0);
}

/** A stored row with its case's head, as the verifier walks them. */
export interface ChainRow {
  caseId: number;
  caseNo: string;
  headSeq: number;
  headHash: string | null;
  /** null: the case has no history rows at all. */
  id: number | null;
  seq: number;
  prevHash: string | null;
  hash: string;
  /** SQLite's UTC text; a Date on PostgreSQL. */
  at: string | Date;
  actorId: number | null;
  actorName: string;
  actorRole: string | null;
  type: string;
  action: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  data: string | null;
}

const CHAIN_COLUMNS = `c.id AS caseId, c.caseNo, COALESCE(hd.seq, 0) AS headSeq, hd.hash AS headHash, h.id, h.seq, h.prevHash, h.hash, h.at, h.actorId, h.actorName,
       h.actorRole, h.type, h.action, h.fromStatus, h.toStatus, h.note, h.data
FROM cases c LEFT JOIN case_history_heads hd ON hd.caseId = c.id LEFT JOIN case_history h ON h.caseId = c.id`;

/**
 * Every case with its rows in chain order, streamed (never all in memory): cases by id, each
 * case's rows through the unique (caseId, seq) index, so SQLite sorts nothing. On the SQLite file
 * itself (better-sqlite3), as `npm run verify-history` opens it read-only.
 */
export function iterateChains(db: Database): IterableIterator<ChainRow> {
  return db.prepare(`SELECT ${CHAIN_COLUMNS} ORDER BY c.id, h.seq`).iterate() as IterableIterator<ChainRow>;
}

/** History rows whose case is gone (only possible with foreign keys switched off). */
export function countOrphans(db: Database): number {
  return (db.prepare(ORPHANS).get() as { n: number }).n;
}

const ORPHANS = 'SELECT COUNT(*) AS n FROM case_history h WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = h.caseId)';
/** Cases per read of the chains through a connection: a batch's rows are all in memory at once. */
const CHAIN_BATCH = 1000;

/**
 * The same rows through a connection, on either engine (PostgreSQL has no cursor here): batches
 * of CHAIN_BATCH cases by id, each one query of their rows in chain order.
 */
export async function* chainBatches(m: EntityManager): AsyncGenerator<ChainRow[]> {
  const sql = sqlOf(m);
  let after = 0;
  for (;;) {
    const bound = await sql.get<{ last: number | null }>(`SELECT MAX(id) AS last FROM (SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ${CHAIN_BATCH}) b`, [after]);
    if (bound?.last == null) return;
    yield await sql.all<ChainRow>(`SELECT ${CHAIN_COLUMNS} WHERE c.id > ? AND c.id <= ? ORDER BY c.id, h.seq`, [after, bound.last]);
    after = bound.last;
  }
}

/** countOrphans, through a connection. */
export async function countOrphansVia(m: EntityManager): Promise<number> {
  return Number((await sqlOf(m).get<{ n: number }>(ORPHANS))?.n ?? 0);
}

/** Whether the SQLite file's history has its chain yet (the hash column, added by a migration). */
export function hasHistoryChain(db: Database): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info('case_history')`).all() as { name: string }[]).some((c) => c.name === 'hash');
}

/** Makes the query runner's open transaction read-only (PostgreSQL), before its first statement. */
export async function readOnly(qr: QueryRunner): Promise<void> {
  await qr.query('SET TRANSACTION READ ONLY');
}
