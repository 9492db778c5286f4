import { MigrationInterface, QueryRunner } from 'typeorm';

/** The list filters' indexes, each now led by the county (the same on PostgreSQL, PostgresCountyFirstIndexes). */
export const COUNTY_FIRST = [
  ['IDX_cases_township_received', 'townshipId'],
  ['IDX_cases_status_received', 'status'],
  ['IDX_cases_kind_received', 'kind'],
  ['IDX_cases_program_received', 'program'],
  ['IDX_cases_channel_received', 'channel'],
] as const;

/**
 * Every list, count and queue starts with the viewer's county (the scope rule), then a filter
 * (township, status, kind, programme, channel) and the newest first. The filters' indexes began
 * with the filter, so a count such as the navigation's 待受理 (status IN two values, and the
 * county) read the table for the county of each of 300,000 entries: 0.3-0.4 s at 1M cases, and
 * several such counts on every page. Led by the county, each is read from the index alone, and
 * a county among a hundred reads only its own entries. CREATE INDEX only: no table is rebuilt.
 */
export class CountyFirstIndexes1765700000000 implements MigrationInterface {
  name = 'CountyFirstIndexes1765700000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const [index, col] of COUNTY_FIRST) {
      await q.query(`DROP INDEX "${index}"`);
      await q.query(`CREATE INDEX "${index}" ON "cases" ("countyCode", "${col}", "receivedAt", "id")`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [index, col] of COUNTY_FIRST) {
      await q.query(`DROP INDEX "${index}"`);
      await q.query(`CREATE INDEX "${index}" ON "cases" ("${col}", "receivedAt", "id")`);
    }
  }
}
