import { DataSource } from 'typeorm';
import { migrateAtStart, refreshPlannerStatistics } from '../../src/database/migrate';
import { onPostgres, TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';

/**
 * SQLite plans a county's lists well only if it knows its tables' sizes (the county selects every
 * case of a one-county file). Statistics are taken at start-up and kept up with the database's
 * growth by the hourly housekeeping; PostgreSQL's autovacuum keeps its own.
 */
describe(`the query planner's statistics (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('empty');

  if (!onPostgres) {
    const townshipRows = async () => {
      const [table] = (await t.ds.query(`SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'`)) as { name: string }[];
      if (!table) return null;
      const rows = (await t.ds.query(`SELECT stat FROM sqlite_stat1 WHERE idx = 'IDX_townships_county_name'`)) as { stat: string }[];
      return rows.length ? Number(rows[0].stat.split(' ')[0]) : null;
    };

    it('are taken at start-up and follow the tables as they grow', async () => {
      // a new county's database at a restart: its first townships, no statistics yet
      if ((await townshipRows()) !== null) await t.ds.query('DELETE FROM sqlite_stat1');
      const add = (m: { query: DataSource['query'] }, from: number, n: number) =>
        Promise.all(Array.from({ length: n }, (_, k) => m.query('INSERT INTO townships (code, name, countyCode, sortOrder, active) VALUES (?, ?, ?, ?, TRUE)', [`9${from + k}`, `统计镇${from + k}`, '141099', from + k])));
      await add(t.ds, 0, 5);
      await migrateAtStart(t.ds, t.db.target);
      const atStart = await townshipRows();
      expect(atStart).not.toBeNull();
      expect(atStart!).toBeLessThan(50);
      await t.writer.write(async (m) => void (await add(m, 5, 2000)));
      // a query that makes the planner choose (SQLite's optimize looks at the tables such queries used)
      await t.ds.query(`SELECT COUNT(*) AS n FROM townships WHERE countyCode = '141099'`);
      await t.writer.write(async (m) => refreshPlannerStatistics(m));
      expect(await townshipRows()).toBeGreaterThanOrEqual(2000);
    });
  } else {
    it('are left to autovacuum while running: the hourly refresh changes nothing', async () => {
      const before = (await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL`)) as { n: number }[];
      await t.writer.write(async (m) => refreshPlannerStatistics(m));
      const after = (await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL`)) as { n: number }[];
      expect(after[0].n).toBe(before[0].n);
    });
  }
});
