import { MigrationInterface, QueryRunner } from 'typeorm';
import { MONTH_TALLY_COLUMNS, REBUILD_CASE_TALLIES, TALLIED_CASE_COLUMNS, TALLY_COLUMNS, TALLY_KEY, TALLY_TABLES } from '../1765900000000-CaseTallies';

/** The Asia/Shanghai date of an instant, as PostgreSQL writes it. */
export const POSTGRES_DAY = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

const COLUMNS_SQL = TALLY_COLUMNS.map((c) => `"${c}"`).join(', ');
const MONTH_COLUMNS_SQL = MONTH_TALLY_COLUMNS.map((c) => `"${c}"`).join(', ');
/** A change's key with its day's month. */
const MONTH_OF_DAY = TALLY_COLUMNS.map((c) => (c === 'day' ? `substr("day", 1, 7)` : `"${c}"`)).join(', ');

/** Every tally from the cases, afresh, on PostgreSQL. */
export const POSTGRES_REBUILD_CASE_TALLIES = REBUILD_CASE_TALLIES(POSTGRES_DAY);

/**
 * The appended changes folded into the tallies, in one statement: the rows it deletes are the ones
 * it adds (a change appended meanwhile waits for the next time; two folds at once take each change
 * once, the second waiting on the rows the first deleted), into the days' and the months'
 * tallies alike. Tallies that come to 0 are removed (found by their partial indexes).
 */
export const POSTGRES_COMPACT_CASE_TALLIES = [
  `WITH moved AS (DELETE FROM "case_tally_changes" RETURNING *),
   days AS (
     INSERT INTO "case_tallies" AS t (${COLUMNS_SQL}, "n") SELECT ${COLUMNS_SQL}, SUM("n") FROM moved GROUP BY ${COLUMNS_SQL}
     ON CONFLICT (${COLUMNS_SQL}) DO UPDATE SET "n" = t."n" + EXCLUDED."n")
   INSERT INTO "case_month_tallies" AS t (${MONTH_COLUMNS_SQL}, "n") SELECT ${MONTH_OF_DAY}, SUM("n") FROM moved GROUP BY ${MONTH_OF_DAY}
   ON CONFLICT (${MONTH_COLUMNS_SQL}) DO UPDATE SET "n" = t."n" + EXCLUDED."n"`,
  `DELETE FROM "case_tallies" WHERE "n" = 0`,
  `DELETE FROM "case_month_tallies" WHERE "n" = 0`,
];

/**
 * SQLite's CaseTallies1765900000000 on PostgreSQL: the same tables, filled the same way; the
 * trigger appends each change to case_tally_changes rather than writing the shared tally row (see
 * there). TRUNCATE of cases empties them.
 */
export class PostgresCaseTallies1765900000000 implements MigrationInterface {
  name = 'PostgresCaseTallies1765900000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const s of TALLY_TABLES) await q.query(s);
    for (const s of POSTGRES_REBUILD_CASE_TALLIES) await q.query(s);
    // the tallies a fold brought to 0, found without reading the others (a few among millions)
    for (const t of ['case_tallies', 'case_month_tallies']) await q.query(`CREATE INDEX "IDX_${t}_empty" ON "${t}" ("countyCode") WHERE "n" = 0`);
    const [before, after] = [TALLY_KEY('OLD', POSTGRES_DAY), TALLY_KEY('NEW', POSTGRES_DAY)];
    await q.query(`CREATE FUNCTION duban_case_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          DELETE FROM "case_tally_changes";
          DELETE FROM "case_tallies";
          DELETE FROM "case_month_tallies";
          RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND ROW(${before.join(', ')}) IS NOT DISTINCT FROM ROW(${after.join(', ')}) THEN
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN INSERT INTO "case_tally_changes" (${COLUMNS_SQL}, "n") VALUES (${before.join(', ')}, -1); END IF;
        IF TG_OP <> 'DELETE' THEN INSERT INTO "case_tally_changes" (${COLUMNS_SQL}, "n") VALUES (${after.join(', ')}, 1); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "case_tallies" AFTER INSERT OR DELETE OR UPDATE OF ${TALLIED_CASE_COLUMNS.map((c) => `"${c}"`).join(', ')} ON "cases"
      FOR EACH ROW EXECUTE FUNCTION duban_case_tallies()`);
    await q.query(`CREATE TRIGGER "case_tallies_truncate" AFTER TRUNCATE ON "cases" FOR EACH STATEMENT EXECUTE FUNCTION duban_case_tallies()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "case_tallies_truncate" ON "cases"`);
    await q.query(`DROP TRIGGER "case_tallies" ON "cases"`);
    await q.query(`DROP FUNCTION duban_case_tallies()`);
    for (const t of ['case_tally_changes', 'case_month_tallies', 'case_tallies']) await q.query(`DROP TABLE "${t}"`);
  }
}
