import type { Database, Statement } from 'better-sqlite3';
import type { EntityManager } from 'typeorm';
import { toDbDateTime } from '../../common/time';
import { stmt } from '../../database/raw';
import { CaseHistory } from '../entities/case-history.entity';
import { canonicalJson, entryHash } from './history-chain';
import type { NewHistoryEntry } from './history-entry';

/*
 * All SQL of the case history (SQLite). Nothing else in src/ inserts into case_history: a test
 * greps for it, and the database refuses a row that does not continue its case's chain.
 *
 * PostgreSQL (later) needs its own variant beside this one: the heads read with
 * `SELECT … FROM cases WHERE id = ANY($1) ORDER BY id FOR UPDATE` (two writers of one case
 * must not both read the same head), `unnest` instead of json_each, and the chain and head
 * triggers of migration HistoryChain written in PL/pgSQL.
 */

export interface Appended {
  caseId: number;
  seq: number;
  hash: string;
}

const COLUMNS = 14;
const INSERT_HEAD = `INSERT INTO case_history (caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data, seq, prevHash, hash) VALUES `;
const ROW = `(${Array(COLUMNS).fill('?').join(', ')})`;
/** Rows per INSERT: 50 × 14 parameters, far below SQLite's limit, and few enough round trips. */
const CHUNK = 50;

/**
 * Appends entries, in order, to their cases' chains: seq and prevHash from each case's head (one
 * query for all the cases of the batch), the hash in TypeScript, then multi-row INSERTs. The
 * AFTER INSERT trigger moves each case's head (cases.historySeq/historyHash) in the same
 * statement. Must run inside the write transaction (DbWriter): the heads read here are only
 * valid while nobody else can write.
 */
export function insertEntries(db: Database, entries: readonly NewHistoryEntry[]): Appended[] {
  if (!entries.length) return [];
  const heads = readHeads(db, entries);
  const params: unknown[] = new Array(entries.length * COLUMNS);
  const out: Appended[] = new Array(entries.length);
  let p = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const head = heads.get(e.caseId);
    if (!head) throw new Error(`history for case ${e.caseId}, which does not exist`);
    const seq = head.seq + 1;
    const prevHash = head.hash;
    const data = e.data === null || e.data === undefined ? null : canonicalJson(e.data);
    const hash = entryHash(
      { caseId: e.caseId, seq, at: e.at, actorId: e.actorId, actorName: e.actorName, actorRole: e.actorRole, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, data },
      prevHash,
    );
    head.seq = seq;
    head.hash = hash;
    params[p++] = e.caseId;
    params[p++] = toDbDateTime(e.at);
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
    out[i] = { caseId: e.caseId, seq, hash };
  }
  const n = entries.length;
  let i = 0;
  if (n >= CHUNK) {
    const many = insertStatement(db, CHUNK);
    for (; i + CHUNK <= n; i += CHUNK) many.run(params.slice(i * COLUMNS, (i + CHUNK) * COLUMNS));
  }
  if (i < n) insertStatement(db, n - i).run(params.slice(i * COLUMNS));
  return out;
}

function insertStatement(db: Database, rows: number): Statement {
  // prepared once per size (at most CHUNK of them)
  return stmt(db, INSERT_HEAD + Array(rows).fill(ROW).join(', '));
}

function readHeads(db: Database, entries: readonly NewHistoryEntry[]): Map<number, { seq: number; hash: string | null }> {
  const heads = new Map<number, { seq: number; hash: string | null }>();
  const first = entries[0].caseId;
  if (entries.every((e) => e.caseId === first)) {
    const r = stmt(db, 'SELECT historySeq, historyHash FROM cases WHERE id = ?').raw().get(first) as [number, string | null] | undefined;
    if (r) heads.set(first, { seq: r[0], hash: r[1] });
    return heads;
  }
  const ids = [...new Set(entries.map((e) => e.caseId))];
  const rows = stmt(db, 'SELECT id, historySeq, historyHash FROM cases WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as [number, number, string | null][];
  for (const r of rows) heads.set(r[0], { seq: r[1], hash: r[2] });
  return heads;
}

/** One case's history in the order it was written (page, API, print). */
export function findForCase(m: EntityManager, caseId: number): Promise<CaseHistory[]> {
  return m.getRepository(CaseHistory).find({ where: { caseId }, order: { seq: 'ASC' } });
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
  at: string;
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

/**
 * Every case with its rows in chain order, streamed (never all in memory): cases by id, each
 * case's rows through the unique (caseId, seq) index, so SQLite sorts nothing.
 */
export function iterateChains(db: Database): IterableIterator<ChainRow> {
  return db
    .prepare(
      `SELECT c.id AS caseId, c.caseNo, c.historySeq AS headSeq, c.historyHash AS headHash, h.id, h.seq, h.prevHash, h.hash, h.at, h.actorId, h.actorName,
              h.actorRole, h.type, h.action, h.fromStatus, h.toStatus, h.note, h.data
       FROM cases c LEFT JOIN case_history h ON h.caseId = c.id ORDER BY c.id, h.seq`,
    )
    .iterate() as IterableIterator<ChainRow>;
}

/** History rows whose case is gone (only possible with foreign keys switched off). */
export function countOrphans(db: Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM case_history h WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = h.caseId)').get() as { n: number }).n;
}
