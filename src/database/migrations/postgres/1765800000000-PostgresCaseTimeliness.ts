import { MigrationInterface, QueryRunner } from 'typeorm';
import { CASE_CLOCK_COLUMNS, CASE_CLOCK_VALUES, COUNTS, TIMELINESS_CLOCK, TIMELINESS_INDEX } from '../1765800000000-CaseTimeliness';

const COLUMNS_SQL = CASE_CLOCK_COLUMNS.map((c) => `"${c}"`).join(', ');
const values = CASE_CLOCK_VALUES.map((e, i) => `${e} AS v${i}`).join(', ');
const fromValues = (r: string) => CASE_CLOCK_VALUES.map((_, i) => `${r}.v${i}`).join(', ');

/**
 * Every case that has a timeliness clock given its four values, in one grouped pass over the
 * clocks (the upgrade; a bulk load with the trigger off). Cases whose values are already right
 * are not written.
 */
export const POSTGRES_BACKFILL_CASE_CLOCKS = `UPDATE "cases" c SET (${COLUMNS_SQL}) = (${fromValues('x')})
  FROM (SELECT d."caseId", ${values} FROM "case_deadlines" d WHERE ${TIMELINESS_CLOCK} GROUP BY d."caseId") x
  WHERE c."id" = x."caseId" AND (${CASE_CLOCK_COLUMNS.map((col) => `c."${col}"`).join(', ')}) IS DISTINCT FROM (${fromValues('x')})`;

/**
 * SQLite's CaseTimeliness1765800000000 on PostgreSQL: the same columns, index and summary; the
 * trigger in PL/pgSQL. A case is written only when its four values change (an UPDATE that
 * changes nothing would still leave a dead row and new index entries), and the existing cases
 * get theirs in one grouped pass over the clocks, not one search per case.
 */
export class PostgresCaseTimeliness1765800000000 implements MigrationInterface {
  name = 'PostgresCaseTimeliness1765800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD COLUMN "clocksLate" boolean NOT NULL DEFAULT false, ADD COLUMN "clocksMet" boolean NOT NULL DEFAULT false,
      ADD COLUMN "clocksOpen" boolean NOT NULL DEFAULT false, ADD COLUMN "clocksOpenDue" character varying(10)`);
    await q.query(POSTGRES_BACKFILL_CASE_CLOCKS);
    await q.query(TIMELINESS_INDEX);
    await q.query(`CREATE FUNCTION duban_refresh_case_clocks(case_id integer) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE s record;
      BEGIN
        SELECT ${values} INTO s FROM "case_deadlines" d WHERE d."caseId" = case_id AND ${TIMELINESS_CLOCK};
        UPDATE "cases" SET (${COLUMNS_SQL}) = (${fromValues('s')}) WHERE "id" = case_id AND (${COLUMNS_SQL}) IS DISTINCT FROM (${fromValues('s')});
      END $$`);
    await q.query(`CREATE FUNCTION duban_case_clocks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW."status" IS NOT DISTINCT FROM OLD."status" AND NEW."late" IS NOT DISTINCT FROM OLD."late"
           AND NEW."dueDate" IS NOT DISTINCT FROM OLD."dueDate" AND NEW."stage" = OLD."stage"
           AND NEW."referralId" IS NOT DISTINCT FROM OLD."referralId" AND NEW."caseId" = OLD."caseId" THEN
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' AND ${COUNTS('OLD')} THEN PERFORM duban_refresh_case_clocks(OLD."caseId"); END IF;
        IF TG_OP <> 'DELETE' AND ${COUNTS('NEW')} AND (TG_OP = 'INSERT' OR NOT ${COUNTS('OLD')} OR NEW."caseId" <> OLD."caseId") THEN
          PERFORM duban_refresh_case_clocks(NEW."caseId");
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "case_clocks" AFTER INSERT OR DELETE OR UPDATE OF "status", "late", "dueDate", "stage", "referralId", "caseId" ON "case_deadlines" FOR EACH ROW EXECUTE FUNCTION duban_case_clocks()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "case_clocks" ON "case_deadlines"`);
    await q.query(`DROP FUNCTION duban_case_clocks()`);
    await q.query(`DROP FUNCTION duban_refresh_case_clocks(integer)`);
    await q.query(`DROP INDEX "IDX_cases_county_timeliness"`);
    await q.query(`ALTER TABLE "cases" ${CASE_CLOCK_COLUMNS.map((c) => `DROP COLUMN "${c}"`).join(', ')}`);
  }
}
