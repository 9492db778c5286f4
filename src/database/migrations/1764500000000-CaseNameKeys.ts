import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name keys of a case's reporter and subject, for the case list's search box: indexes on the names
 * as nameKey makes them (spaces and name dots left out, src/common/names.ts; in SQL nameKeySql,
 * the key the NameKeys migration keeps for users and registered relatives). Indexes on the
 * expression rather than key columns kept by triggers: an AFTER INSERT trigger's UPDATE cost
 * intake about 150-200 µs a case on these machines (measured on the 100k-case bench file),
 * the index 5-10 µs; no table rebuild, no backfill. Partial: most cases name nobody. A query
 * uses them only when it writes the same expression and implies the condition (case-search.ts:
 * `nameKeySql(c.reporterName) = ? AND c.reporterName IS NOT NULL`); the search test checks the
 * plan. The characters are written out here so this migration does not change if nameKey does
 * (a change of nameKey needs a migration recreating these indexes, or they stop being used).
 */
const NOISE = [' ', '\u00a0', '\u3000', '\t', '·', '•', '・', '.', '．'];
const key = (col: string) => NOISE.reduce((sql, ch) => `REPLACE(${sql}, '${ch}', '')`, col);

export class CaseNameKeys1764500000000 implements MigrationInterface {
  name = 'CaseNameKeys1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_cases_reporter_name_key" ON "cases" (${key('"reporterName"')}) WHERE "reporterName" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_cases_subject_name_key" ON "cases" (${key('"subjectName"')}) WHERE "subjectName" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "IDX_cases_subject_name_key"`);
    await q.query(`DROP INDEX IF EXISTS "IDX_cases_reporter_name_key"`);
  }
}
