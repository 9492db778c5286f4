import { POSTGRES_COMPACT_CASE_TALLIES } from '../database/migrations/postgres/1765900000000-PostgresCaseTallies';
import { perEngine, sqlFrom } from '../database/sql';
import type { Db } from './reports.repository';

/**
 * Folds the case tallies' appended changes into the tallies (migration CaseTallies). PostgreSQL
 * only: SQLite's triggers write the tallies themselves. Safe on several instances at once (each
 * change is taken once). Run inside a write, so both statements commit together.
 */
export const compactCaseTallies = perEngine({
  sqlite: async (_db: Db): Promise<void> => undefined,
  postgres: async (db: Db): Promise<void> => {
    const sql = sqlFrom(db);
    for (const s of POSTGRES_COMPACT_CASE_TALLIES) await sql.run(s);
  },
});
