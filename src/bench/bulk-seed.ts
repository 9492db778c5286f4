import Database from 'better-sqlite3';
import type { Client } from 'pg';
import { CASE_NO_PREFIX, formatCaseNo } from '../cases/case-intake.service';
import { CASE_SEARCH } from '../cases/case-search.repository';
import { CHANNELS, KINDS, PROBLEM_TYPES, PROGRAMS, type Channel, type Kind } from '../cases/case.enums';
import { insertEntriesSqlite, insertEntriesVia } from '../cases/history/case-history.repository';
import type { NewHistoryEntry } from '../cases/history/history-entry';
import { toSearchBody } from '../cases/search-text';
import { shanghaiYear, toDbDateTime } from '../common/time';
import { Sql, sqlOfConnection } from '../database/sql';
import { POSTGRES_REBUILD_CASE_TALLIES } from '../database/migrations/postgres/1765900000000-PostgresCaseTallies';
import { REBUILD_CASE_TALLIES, SQLITE_DAY, SQLITE_TALLY_TRIGGERS } from '../database/migrations/1765900000000-CaseTallies';
import { fakeIdNumber, fakeMobile, fakeName, prng } from '../seed/demo-seed.service';
import { TEMPLATES } from '../seed/demo-data';

/**
 * What the seeded rows hold; the bench's file name carries it, so a file seeded by an older
 * version is not reused. 2: subjects named on complaints, landlines, ID numbers for the search box.
 */
export const BULK_SEED_VERSION = 2;

const STATUSES = ['registered', 'accepted', 'assigned', 'verifying', 'inReview', 'approved', 'closed', 'closed', 'closed', 'closed'];

/**
 * Adds `count` cases straight to the database (benchmarks only): the same tables and rows intake
 * writes (case, problem types, first history row, search row), 20k rows a transaction. SQLite
 * through better-sqlite3 (bulkSeed), PostgreSQL through one pg client (bulkSeedPostgres); both
 * draw the same cases from the same generator. The history rows go through the history module's
 * repository, so they are chained as intake's are (hashed in TypeScript, multi-row inserts).
 * Dates spread over the last three years. Real-name reporters have a name and a phone (a mobile,
 * or one in five a landline written with its area code's hyphen, as intake stores it) and half of
 * them an ID number; complaints whose template names a post name their subject, so every kind of
 * the search box has something to find.
 */
export interface BulkOptions {
  /** Status of each case, drawn from this list (default: a realistic mix, 40% closed). */
  statuses?: string[];
  /** Received between these instants (default: the last three years). */
  from?: number;
  to?: number;
  /**
   * Each case in its township's county, numbered in that county's sequence (the roll-up bench's
   * many counties); by default every case is the operator's county's.
   */
  spreadCounties?: boolean;
}

interface Operator {
  id: number;
  displayName: string;
  regionCode: string;
}

/** The columns of a seeded case, in CASE_COLUMNS order. */
const CASE_COLUMNS = [
  'countyCode', 'caseNo', 'channel', 'kind', 'program', 'problemTypes', 'reporterType', 'reporterName', 'reporterPhone', 'reporterIdNumber',
  'reporterAddress', 'townshipId', 'villageId', 'subjectName', 'subjectUnit', 'subjectPost', 'content', 'urgency', 'status', 'receivedAt', 'assignedAt', 'createdById', 'createdAt', 'updatedAt',
] as const;

interface SeedCase {
  values: unknown[];
  problemTypes: string[];
  content: string;
  channel: Channel;
  kind: Kind;
  at: Date;
}

/** The cases to seed, drawn one by one from a fixed seed (the same cases on either engine). */
function generator(townships: { id: number; countyCode: string }[], villages: { id: number; townshipId: number; name: string }[], operator: Operator, seq: Map<string, number>, count: number, opts: BulkOptions) {
  const rng = prng(42);
  const byTownship = new Map<number, typeof villages>();
  for (const v of villages) byTownship.set(v.townshipId, [...(byTownship.get(v.townshipId) ?? []), v]);
  const to = opts.to ?? Date.now();
  const from = opts.from ?? to - 3 * 365 * 86400_000;
  const statuses = opts.statuses ?? STATUSES;
  // Oldest first, so case numbers rise with time as they do in real intake.
  const times = Array.from({ length: count }, () => from + Math.floor(rng.next() * (to - from))).sort((a, b) => a - b);
  return (i: number): SeedCase => {
    const kind = rng.pick(KINDS);
    const tpl = rng.pick(TEMPLATES[kind]);
    const township = rng.pick(townships);
    const t = township.id;
    const county = opts.spreadCounties ? township.countyCode : operator.regionCode;
    const v = rng.pick(byTownship.get(t) ?? villages);
    const anonymous = kind !== 'helpRequest' && rng.next() < 0.4;
    const at = new Date(times[i]);
    const year = shanghaiYear(at);
    const key = `${CASE_NO_PREFIX}${county}|${year}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    const subjectName = tpl.subjectPost ? fakeName(rng) : null;
    const content = rng.pick(tpl.text).replace('{v}', v.name).replace('{s}', subjectName ?? '某某').replace('{n}', String(rng.int(2, 9))).replace('{m}', String(rng.int(1, 12)));
    const phone = anonymous ? null : rng.next() < 0.2 ? `0358-${rng.int(2_000_000, 9_999_999)}` : fakeMobile(rng);
    const problemTypes = kind === 'complaint' ? [rng.pick(PROBLEM_TYPES)] : [];
    const status = rng.pick(statuses);
    const atDb = toDbDateTime(at);
    const channel = rng.pick(CHANNELS);
    const values = [
      county, formatCaseNo(CASE_NO_PREFIX, county, year, n), channel, kind, tpl.program ?? rng.pick(PROGRAMS), problemTypes.join(','),
      anonymous ? 'anonymous' : 'realName', anonymous ? null : fakeName(rng), phone, anonymous || rng.next() < 0.5 ? null : fakeIdNumber(rng),
      null, t, v.id, subjectName, null, tpl.subjectPost ?? null, content, 'normal', status, atDb, status === 'registered' || status === 'accepted' ? null : atDb, operator.id, atDb, atDb,
    ];
    return { values, problemTypes, content, channel, kind, at };
  };
}

function createdEntry(id: number, c: SeedCase, operator: Operator): NewHistoryEntry {
  return {
    caseId: id, at: c.at, actorId: operator.id, actorName: operator.displayName, actorRole: 'operator',
    type: 'created', action: null, fromStatus: null, toStatus: 'registered', note: null, data: { channel: c.channel, kind: c.kind, via: 'session' },
  };
}

const STEP = 20_000;

export function bulkSeed(file: string, count: number, log: (s: string) => void = () => {}, opts: BulkOptions = {}): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // statement journals in memory, as the app has them: with a temporary file, every insert that
  // fires a trigger (the tallies') cost some 50 µs more
  db.pragma('temp_store = MEMORY');
  const townships = db.prepare('SELECT id, countyCode FROM townships').all() as { id: number; countyCode: string }[];
  const villages = db.prepare('SELECT id, townshipId, name FROM villages').all() as { id: number; townshipId: number; name: string }[];
  const operator = db.prepare(`SELECT id, displayName, regionCode FROM users WHERE role = 'operator' LIMIT 1`).get() as Operator;
  /** The last number by `${prefix}|${year}` (a prefix per county). */
  const seq = new Map<string, number>();
  for (const r of db.prepare('SELECT prefix, year, lastValue FROM case_sequences').all() as { prefix: string; year: number; lastValue: number }[]) seq.set(`${r.prefix}|${r.year}`, r.lastValue);
  const next = generator(townships, villages, operator, seq, count, opts);

  const insCase = db.prepare(`INSERT INTO cases (${CASE_COLUMNS.join(', ')}, version) VALUES (${CASE_COLUMNS.map(() => '?').join(',')},1)`);
  const insType = db.prepare('INSERT INTO case_problem_types (caseId, problemType) VALUES (?, ?)');
  const insSearch = db.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)');

  const batch = db.transaction((from: number, to: number) => {
    const history: NewHistoryEntry[] = [];
    for (let i = from; i < to; i++) {
      const c = next(i);
      const id = Number(insCase.run(...c.values).lastInsertRowid);
      for (const p of c.problemTypes) insType.run(id, p);
      history.push(createdEntry(id, c, operator));
      insSearch.run(id, toSearchBody(c.content));
    }
    insertEntriesSqlite(db, history);
  });
  const started = Date.now();
  db.transaction(() => pauseStatements('sqlite').forEach((s) => db.exec(s)))();
  for (let i = 0; i < count; i += STEP) {
    batch(i, Math.min(count, i + STEP));
    if ((i / STEP) % 10 === 0) log(`  seeded ${Math.min(count, i + STEP)} / ${count} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const upsert = db.prepare(`INSERT INTO case_sequences (prefix, year, lastValue) VALUES (?, ?, ?) ON CONFLICT (prefix, year) DO UPDATE SET lastValue = excluded.lastValue`);
  for (const [key, last] of seq) {
    const [prefix, year] = key.split('|');
    upsert.run(prefix, Number(year), last);
  }
  db.transaction(() => resumeStatements('sqlite').forEach((s) => db.exec(s)))();
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Rows per multi-row INSERT on PostgreSQL (24 parameters each, under its 65,535). */
const PG_ROWS = 1000;

/**
 * The same cases on PostgreSQL, through one pg client, STEP cases a transaction: the ids are
 * given (after the largest there), so the problem-type, search and history rows need no round
 * trip per case; the identity is moved past them at the end. Statements are written as the app's
 * (`?`, camelCase names) and read through the SQL seam.
 */
export async function bulkSeedPostgres(client: Client, count: number, log: (s: string) => void = () => {}, opts: BulkOptions = {}): Promise<void> {
  const sql = sqlOfConnection({ engine: 'postgres', client, close: async () => undefined });
  const townships = await sql.all<{ id: number; countyCode: string }>('SELECT id, countyCode FROM townships ORDER BY id');
  const villages = await sql.all<{ id: number; townshipId: number; name: string }>('SELECT id, townshipId, name FROM villages ORDER BY id');
  const operator = (await sql.get<Operator>(`SELECT id, displayName, regionCode FROM users WHERE role = 'operator' ORDER BY id LIMIT 1`))!;
  const seq = new Map<string, number>();
  for (const r of await sql.all<{ prefix: string; year: number; lastValue: number }>('SELECT prefix, year, lastValue FROM case_sequences')) seq.set(`${r.prefix}|${r.year}`, r.lastValue);
  const next = generator(townships, villages, operator, seq, count, opts);
  let id = Number((await sql.get<{ n: number | null }>('SELECT MAX(id) AS n FROM cases'))?.n ?? 0);
  await TALLIES_IN_BULK.pause(sql);

  const many = async (head: string, width: number, rows: unknown[][], cast: string[] = []) => {
    for (let i = 0; i < rows.length; i += PG_ROWS) {
      const chunk = rows.slice(i, i + PG_ROWS);
      const row = `(${Array.from({ length: width }, (_, k) => (cast[k] ? `CAST(? AS ${cast[k]})` : '?')).join(', ')})`;
      await sql.run(`${head} VALUES ${chunk.map(() => row).join(', ')}`, chunk.flat());
    }
  };
  const started = Date.now();
  for (let from = 0; from < count; from += STEP) {
    const to = Math.min(count, from + STEP);
    const cases: unknown[][] = [];
    const types: unknown[][] = [];
    const search: unknown[][] = [];
    const history: NewHistoryEntry[] = [];
    for (let i = from; i < to; i++) {
      const c = next(i);
      id++;
      cases.push([id, ...c.values]);
      for (const p of c.problemTypes) types.push([id, p]);
      search.push([id, CASE_SEARCH.body(c.content)]);
      history.push(createdEntry(id, c, operator));
    }
    await sql.run('BEGIN');
    try {
      // the instants as text, as toDbDateTime wrote them: UTC, and the sessions run in UTC
      await many(`INSERT INTO cases (id, ${CASE_COLUMNS.join(', ')}, version)`, CASE_COLUMNS.length + 2, cases.map((r) => [...r, 1]));
      await many('INSERT INTO case_problem_types (caseId, problemType)', 2, types);
      await many('INSERT INTO case_search (caseId, body)', 2, search, ['', 'tsvector']);
      await insertEntriesVia(sql, history);
      await sql.run('COMMIT');
    } catch (e) {
      await sql.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    if ((from / STEP) % 10 === 0) log(`  seeded ${to} / ${count} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  await sql.run(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))`);
  for (const [key, last] of seq) {
    const [prefix, year] = key.split('|');
    await sql.run(`INSERT INTO case_sequences AS s (prefix, year, lastValue) VALUES (?, ?, ?) ON CONFLICT (prefix, year) DO UPDATE SET lastValue = excluded.lastValue`, [prefix, Number(year), last]);
  }
  await TALLIES_IN_BULK.resume(sql);
  // as autovacuum leaves a database in use: statistics, and the visibility map that lets a count be
  // read from an index alone (right after the load, COUNT(*) of 1M cases visited the heap: 170 ms, 83 ms after)
  await sql.run('VACUUM (ANALYZE)');
}

/**
 * Millions of cases at once: the tallies' triggers are off for the load and the tallies are
 * counted afresh after it, as the upgrade does. On PostgreSQL each case would cost a PL/pgSQL call
 * and a change row; on SQLite a trigger on the cases makes every insert keep a statement journal
 * of the pages it writes, which in a transaction of 20,000 cases with a dozen indexes made the
 * load 15 times slower (2.9 s for 60,000 cases without, 45 s with).
 */
export const TALLIES_IN_BULK = {
  async pause(sql: Sql): Promise<void> {
    for (const s of pauseStatements(sql.engine)) await sql.run(s);
  },
  async resume(sql: Sql): Promise<void> {
    for (const s of resumeStatements(sql.engine)) await sql.run(s);
  },
};

function pauseStatements(engine: 'sqlite' | 'postgres'): string[] {
  return engine === 'postgres' ? ['ALTER TABLE cases DISABLE TRIGGER case_tallies'] : Object.keys(SQLITE_TALLY_TRIGGERS).map((t) => `DROP TRIGGER IF EXISTS ${t}`);
}

function resumeStatements(engine: 'sqlite' | 'postgres'): string[] {
  return engine === 'postgres'
    ? [...POSTGRES_REBUILD_CASE_TALLIES, 'ALTER TABLE cases ENABLE TRIGGER case_tallies']
    : [...REBUILD_CASE_TALLIES(SQLITE_DAY), ...Object.values(SQLITE_TALLY_TRIGGERS)];
}
