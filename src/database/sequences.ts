import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { isPostgres } from './engine';
import { toPostgresSql } from './postgres-sql';
import { sqlOf } from './sql';

const NEXT = `INSERT INTO case_sequences AS s (prefix, year, lastValue) VALUES (?, ?, 1)
  ON CONFLICT (prefix, year) DO UPDATE SET lastValue = s.lastValue + 1
  RETURNING lastValue`;

/**
 * The next number of a yearly series (case numbers, lead numbers): one upsert on case_sequences,
 * so two instances on one database never hand out the same number.
 *
 * SQLite: in the caller's write (one writer at a time), so a write that fails takes its number
 * back and numbers have no gaps.
 *
 * PostgreSQL: on a connection of its own, committed at once, not in the caller's transaction. In
 * the caller's transaction the counter's row stayed locked until that whole write committed, so
 * concurrent intakes of a county queued one behind the other for every statement of each
 * (measured: a third of the bare server's rate). The number's commit is asynchronous
 * (synchronous_commit off) and costs no fsync: the case that carries the number commits after
 * it, synchronously, and PostgreSQL's log reaches the disk in order, so a case on disk always
 * has its number's increment on disk too (a number is never handed out twice, even after a
 * power cut). The price: a write that fails after taking its number leaves that number unused
 * (a gap in the year's series); docs/DESIGN.md "Numbers" says so.
 */
export async function nextInSeries(m: EntityManager, prefix: string, year: number): Promise<number> {
  if (isPostgres) {
    const url = (m.connection.options as { url?: string }).url;
    if (!url) throw new Error('numbering on PostgreSQL needs the database URL');
    const r = await numberingPool(url).query<{ lastValue: number | string }>(toPostgresSql(NEXT), [prefix, year]);
    return Number(r.rows[0].lastValue);
  }
  const row = await sqlOf(m).get<{ lastValue: number }>(NEXT, [prefix, year]);
  return Number(row!.lastValue);
}

const pools = new Map<string, Pool>();

/** Two connections per database for numbers only: they never wait on a write, so they cannot deadlock with the write pool. */
function numberingPool(url: string): Pool {
  let pool = pools.get(url);
  if (!pool) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pg = require('pg') as typeof import('pg');
    pool = new pg.Pool({
      connectionString: url,
      max: 2,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      application_name: 'duban-numbers',
      options: '-c TimeZone=UTC -c statement_timeout=10000 -c synchronous_commit=off',
    });
    // an idle connection the server ends (restart, a test dropping its database) is dropped and replaced
    pool.on('error', () => undefined);
    pools.set(url, pool);
  }
  return pool;
}

/** Closes the numbering connections (at shutdown, with the data source). */
export async function closeNumbering(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => undefined)));
}
