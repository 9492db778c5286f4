import type { Database, Statement } from 'better-sqlite3';
import type { EntityManager } from 'typeorm';

/**
 * The better-sqlite3 connection under TypeORM, for set-based bulk work (deadline scans,
 * recomputation over a million rows) where TypeORM's per-row overhead would dominate. Call it
 * only inside DbWriter.write(): the statements then run in that write's transaction.
 */
export function rawDb(m: EntityManager): Database {
  return (m.connection.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

const statements = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement, prepared once per connection: preparing costs more than running. */
export function stmt(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}
