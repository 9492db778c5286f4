import Database from 'better-sqlite3';
import { CASE_NO_PREFIX, formatCaseNo } from '../cases/case-intake.service';
import { CHANNELS, KINDS, PROBLEM_TYPES, PROGRAMS } from '../cases/case.enums';
import { insertEntriesSqlite } from '../cases/history/case-history.repository';
import type { NewHistoryEntry } from '../cases/history/history-entry';
import { toSearchBody } from '../cases/search-text';
import { shanghaiYear, toDbDateTime } from '../common/time';
import { fakeIdNumber, fakeMobile, fakeName, prng } from '../seed/demo-seed.service';
import { TEMPLATES } from '../seed/demo-data';

/**
 * What the seeded rows hold; the bench's file name carries it, so a file seeded by an older
 * version is not reused. 2: subjects named on complaints, landlines, ID numbers for the search box.
 */
export const BULK_SEED_VERSION = 2;

const STATUSES = ['registered', 'accepted', 'assigned', 'verifying', 'inReview', 'approved', 'closed', 'closed', 'closed', 'closed'];

/**
 * Adds `count` cases straight through better-sqlite3 (benchmarks only): the same tables and rows
 * intake writes (case, problem types, first history row, search row), 20k rows a transaction.
 * The history rows go through the history module's repository, so they are chained as intake's
 * are (hashed in TypeScript, one multi-row insert per batch).
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
}

export function bulkSeed(file: string, count: number, log: (s: string) => void = () => {}, opts: BulkOptions = {}): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rng = prng(42);
  const townships = db.prepare('SELECT id FROM townships').all() as { id: number }[];
  const villages = db.prepare('SELECT id, townshipId, name FROM villages').all() as { id: number; townshipId: number; name: string }[];
  const byTownship = new Map<number, typeof villages>();
  for (const v of villages) byTownship.set(v.townshipId, [...(byTownship.get(v.townshipId) ?? []), v]);
  const operator = db.prepare(`SELECT id, displayName, regionCode FROM users WHERE role = 'operator' LIMIT 1`).get() as { id: number; displayName: string; regionCode: string };
  const seq = new Map<number, number>();
  for (const r of db.prepare('SELECT year, lastValue FROM case_sequences WHERE prefix = ?').all(`${CASE_NO_PREFIX}${operator.regionCode}`) as { year: number; lastValue: number }[]) seq.set(r.year, r.lastValue);

  const insCase = db.prepare(`INSERT INTO cases (countyCode, caseNo, channel, kind, program, problemTypes, reporterType, reporterName, reporterPhone, reporterIdNumber,
    reporterAddress, townshipId, villageId, subjectName, subjectUnit, subjectPost, content, urgency, status, receivedAt, assignedAt, createdById, createdAt, updatedAt, version)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)`);
  const insType = db.prepare('INSERT INTO case_problem_types (caseId, problemType) VALUES (?, ?)');
  const insSearch = db.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)');
  const to = opts.to ?? Date.now();
  const from = opts.from ?? to - 3 * 365 * 86400_000;
  const statuses = opts.statuses ?? STATUSES;
  // Oldest first, so case numbers rise with time as they do in real intake.
  const times = Array.from({ length: count }, () => from + Math.floor(rng.next() * (to - from))).sort((a, b) => a - b);

  const batch = db.transaction((from: number, to: number) => {
    const history: NewHistoryEntry[] = [];
    for (let i = from; i < to; i++) {
      const kind = rng.pick(KINDS);
      const tpl = rng.pick(TEMPLATES[kind]);
      const t = rng.pick(townships).id;
      const v = rng.pick(byTownship.get(t) ?? villages);
      const anonymous = kind !== 'helpRequest' && rng.next() < 0.4;
      const at = new Date(times[i]);
      const year = shanghaiYear(at);
      const n = (seq.get(year) ?? 0) + 1;
      seq.set(year, n);
      const subjectName = tpl.subjectPost ? fakeName(rng) : null;
      const content = rng.pick(tpl.text).replace('{v}', v.name).replace('{s}', subjectName ?? '某某').replace('{n}', String(rng.int(2, 9))).replace('{m}', String(rng.int(1, 12)));
      const phone = anonymous ? null : rng.next() < 0.2 ? `0358-${rng.int(2_000_000, 9_999_999)}` : fakeMobile(rng);
      const problemTypes = kind === 'complaint' ? [rng.pick(PROBLEM_TYPES)] : [];
      const status = rng.pick(statuses);
      const atDb = toDbDateTime(at);
      const channel = rng.pick(CHANNELS);
      const info = insCase.run(
        operator.regionCode, formatCaseNo(CASE_NO_PREFIX, operator.regionCode, year, n), channel, kind, tpl.program ?? rng.pick(PROGRAMS), problemTypes.join(','),
        anonymous ? 'anonymous' : 'realName', anonymous ? null : fakeName(rng), phone, anonymous || rng.next() < 0.5 ? null : fakeIdNumber(rng),
        null, t, v.id, subjectName, null, tpl.subjectPost ?? null, content, 'normal', status, atDb, status === 'registered' || status === 'accepted' ? null : atDb, operator.id, atDb, atDb,
      );
      const id = Number(info.lastInsertRowid);
      for (const p of problemTypes) insType.run(id, p);
      history.push({
        caseId: id, at, actorId: operator.id, actorName: operator.displayName, actorRole: 'operator',
        type: 'created', action: null, fromStatus: null, toStatus: 'registered', note: null, data: { channel, kind, via: 'session' },
      });
      insSearch.run(id, toSearchBody(content));
    }
    insertEntriesSqlite(db, history);
  });
  const step = 20_000;
  const started = Date.now();
  for (let i = 0; i < count; i += step) {
    batch(i, Math.min(count, i + step));
    if ((i / step) % 10 === 0) log(`  seeded ${Math.min(count, i + step)} / ${count} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const upsert = db.prepare(`INSERT INTO case_sequences (prefix, year, lastValue) VALUES (?, ?, ?) ON CONFLICT (prefix, year) DO UPDATE SET lastValue = excluded.lastValue`);
  for (const [year, last] of seq) upsert.run(`${CASE_NO_PREFIX}${operator.regionCode}`, year, last);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
