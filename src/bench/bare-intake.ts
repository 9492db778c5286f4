/**
 * The bench's bare baseline (node dist/bench/bare-intake.js): what intake costs with nothing of
 * Duban's framework around it. A plain node:http server, no Nest, no Express, no ORM, that takes
 * POST /api/v1/cases with the same JSON body, checks the same required fields, and in one
 * transaction per request (one commit each, acknowledged after it) takes the next case number,
 * inserts the case row and its first history row (chained as the history module chains it), on
 * the same engine with the same durability as the app: SQLite in WAL with synchronous=FULL on
 * one connection, or PostgreSQL through a pg pool of PG_POOL_SIZE (10) connections with
 * synchronous_commit=on. What it leaves out is the measure of what Duban adds: sign-in, township
 * checks, problem types, the search row, deadline clocks, protection matching, the query code.
 *
 * Environment: BARE_DATABASE_PATH (a SQLite file) or DATABASE_URL (postgres://…), PORT.
 */
import * as http from 'http';
import { CHANNELS, KINDS, PROGRAMS, REPORTER_TYPES } from '../cases/case.enums';
import { firstEntriesParams, insertEntriesSql } from '../cases/history/first-entry';
import type { NewHistoryEntry } from '../cases/history/history-entry';
import { shanghaiYear, toDbDateTime } from '../common/time';
import { toPostgresSql } from '../database/postgres-sql';

const PORT = Number(process.env.PORT || 3998);
const URL = process.env.DATABASE_URL;
const FILE = process.env.BARE_DATABASE_PATH;

interface Operator {
  id: number;
  displayName: string;
  regionCode: string;
}

type Body = Record<string, unknown>;

const NEXT_NO = `INSERT INTO case_sequences AS s (prefix, year, lastValue) VALUES (?, ?, 1)
  ON CONFLICT (prefix, year) DO UPDATE SET lastValue = s.lastValue + 1 RETURNING lastValue`;
const INSERT_CASE = `INSERT INTO cases (caseNo, countyCode, channel, kind, program, problemTypes, reporterType, reporterName, reporterPhone, reporterIdNumber, reporterAddress, reporterMinor,
  townshipId, villageId, subjectName, subjectUnit, subjectPost, subjectMinor, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version, queryCodeHash, repeatOfId)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`;
const INSERT_ENTRY = insertEntriesSql(1);

const isIn = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v);
const optString = (v: unknown, max: number) => v === undefined || v === null || (typeof v === 'string' && v.length <= max);

/** The required fields and their kinds, as CreateCaseDto and the intake's cross-field rules ask. */
function problems(b: Body): string[] {
  const out: string[] = [];
  if (!isIn(CHANNELS, b.channel)) out.push('channel');
  if (!isIn(KINDS, b.kind)) out.push('kind');
  if (!isIn(PROGRAMS, b.program)) out.push('program');
  if (!isIn(REPORTER_TYPES, b.reporterType)) out.push('reporterType');
  if (typeof b.content !== 'string' || b.content.trim().length < 5 || b.content.length > 5000) out.push('content');
  if (!optString(b.reporterName, 50)) out.push('reporterName');
  if (!optString(b.reporterPhone, 30)) out.push('reporterPhone');
  if (b.reporterType === 'realName' && !b.reporterName) out.push('reporterName');
  if (b.kind === 'helpRequest' && b.reporterType === 'anonymous') out.push('reporterType');
  if ((b.kind === 'helpRequest' || b.kind === 'complaint') && !Number.isInteger(b.townshipId)) out.push('townshipId');
  return out;
}

function caseParams(b: Body, caseNo: string, op: Operator, now: unknown, bool: (v: boolean) => unknown): unknown[] {
  const anonymous = b.reporterType === 'anonymous';
  const s = (v: unknown) => (anonymous || typeof v !== 'string' ? null : v);
  return [
    caseNo, op.regionCode, b.channel, b.kind, b.program, '', b.reporterType, s(b.reporterName), s(b.reporterPhone), null, null, bool(false),
    b.townshipId ?? null, null, null, null, null, bool(false), (b.content as string).trim(), 'normal', 'registered', now, op.id, now, now, null, null,
  ];
}

function createdEntry(caseId: number, b: Body, op: Operator, at: Date): NewHistoryEntry {
  return {
    caseId, at, actorId: op.id, actorName: op.displayName, actorRole: 'operator',
    type: 'created', action: null, fromStatus: null, toStatus: 'registered', note: null, data: { channel: b.channel as never, kind: b.kind as never, via: 'token' },
  };
}

const caseNoOf = (op: Operator, year: number, n: number) => `JZ${year}-${op.regionCode}-${String(n).padStart(6, '0')}`;

type Insert = (b: Body) => Promise<{ id: number; caseNo: string }>;

async function sqliteIntake(file: string): Promise<Insert> {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file);
  // as the app's data source sets them (src/database/data-source.ts)
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  const op = db.prepare(`SELECT id, displayName, regionCode FROM users WHERE username = 'operator'`).get() as Operator;
  const nextNo = db.prepare(NEXT_NO);
  const insCase = db.prepare(INSERT_CASE);
  const insEntry = db.prepare(INSERT_ENTRY);
  const one = db.transaction((b: Body) => {
    const now = new Date();
    const year = shanghaiYear(now);
    const n = (nextNo.get(`JZ${op.regionCode}`, year) as { lastValue: number }).lastValue;
    const caseNo = caseNoOf(op, year, n);
    const at = toDbDateTime(now);
    const id = Number((insCase.get(...caseParams(b, caseNo, op, at, (v) => (v ? 1 : 0))) as { id: number }).id);
    insEntry.run(...firstEntriesParams([createdEntry(id, b, op, now)], toDbDateTime));
    return { id, caseNo };
  });
  // BEGIN IMMEDIATE, as the app's writer does; one commit (an fsync) per request
  return async (b) => one.immediate(b);
}

async function postgresIntake(url: string): Promise<Insert> {
  const pg = await import('pg');
  const max = Number(process.env.PG_POOL_SIZE || 10);
  const pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC -c synchronous_commit=on', application_name: 'duban-bare' });
  const op = (await pool.query(toPostgresSql(`SELECT id, displayName, regionCode FROM users WHERE username = 'operator'`))).rows[0] as Operator;
  const [nextNo, insCase, insEntry] = [NEXT_NO, INSERT_CASE, INSERT_ENTRY].map(toPostgresSql);
  return async (b) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const now = new Date();
      const year = shanghaiYear(now);
      const n = Number((await c.query(nextNo, [`JZ${op.regionCode}`, year])).rows[0].lastValue);
      const caseNo = caseNoOf(op, year, n);
      const id = Number((await c.query(insCase, caseParams(b, caseNo, op, now, (v) => v))).rows[0].id);
      await c.query(insEntry, firstEntriesParams([createdEntry(id, b, op, now)], (d) => d));
      await c.query('COMMIT');
      return { id, caseNo };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function main() {
  const insert = URL ? await postgresIntake(URL) : FILE ? await sqliteIntake(FILE) : null;
  if (!insert) throw new Error('bare-intake: set BARE_DATABASE_PATH or DATABASE_URL');
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/v1/health') return send(res, 200, { ok: true });
    if (req.method !== 'POST' || req.url !== '/api/v1/cases') return send(res, 404, { message: 'not found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, { message: 'not JSON' });
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return send(res, 400, { message: 'not an object' });
      const bad = problems(body);
      if (bad.length) return send(res, 400, { message: 'invalid', errors: bad.map((field) => ({ field })) });
      insert(body).then(
        (r) => send(res, 201, r),
        (e) => send(res, 500, { message: String((e as Error).message) }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(PORT, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
