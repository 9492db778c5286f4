import type { Database } from 'better-sqlite3';
import type { EntityManager } from 'typeorm';

/**
 * The better-sqlite3 connection under TypeORM, for set-based bulk work (deadline scans,
 * recomputation over a million rows) where TypeORM's per-row overhead would dominate. Call it
 * only inside DbWriter.write(): the statements then run in that write's transaction.
 */
export function rawDb(m: EntityManager): Database {
  return (m.connection.driver as unknown as { databaseConnection: Database }).databaseConnection;
}
