import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a case's clocks say about its timeliness, kept on the case by the database itself.
 *
 * The on-time figures (the dashboard, the roll-up across counties) judged each case by reading
 * all its clocks: at ten million cases in a province the roll-up over three years read some
 * 30 million clock entries by index, one case at a time, and took 32 s. The four columns below
 * are what those figures read of the clocks, so they read the period's cases alone (from one
 * index: IDX_cases_county_timeliness):
 * - clocksLate: a timeliness clock (ON_TIME_STAGES: the county's before the hand-over and the
 *   township's) was met late;
 * - clocksMet: the township finished (its verify or redo clock met);
 * - clocksOpen: a timeliness clock still runs;
 * - clocksOpenDue: the earliest due date of those running (a case is overdue once it is past).
 * Only clocks of the case itself count (not those of a lead, referralId set).
 *
 * Triggers on case_deadlines keep them: every write of a clock, by any code (the app, the seeds,
 * a repair by hand), recomputes its case's four from all its timeliness clocks. So there is one
 * statement of the summary (CASE_CLOCK_VALUES, the same text on both engines) and no code path
 * that could forget it. The existing cases get theirs here, once.
 * ALTER TABLE ADD COLUMN and CREATE TRIGGER only: no table is rebuilt.
 */
export const TIMELINESS_STAGES = ['countyAccept', 'countyAssign', 'acknowledge', 'verify', 'redo'] as const;
const STAGES_SQL = TIMELINESS_STAGES.map((s) => `'${s}'`).join(', ');

/** A clock d that a case's timeliness is judged by. */
export const TIMELINESS_CLOCK = `d."referralId" IS NULL AND d."stage" IN (${STAGES_SQL})`;

/** The four columns, in this order. */
export const CASE_CLOCK_COLUMNS = ['clocksLate', 'clocksMet', 'clocksOpen', 'clocksOpenDue'] as const;

/** The four values as aggregates over a case's timeliness clocks d, in the columns' order (the same on both engines). */
export const CASE_CLOCK_VALUES = [
  `COALESCE(MAX(CASE WHEN d."status" = 'met' AND d."late" = TRUE THEN 1 ELSE 0 END), 0) = 1`,
  `COALESCE(MAX(CASE WHEN d."status" = 'met' AND d."stage" IN ('verify', 'redo') THEN 1 ELSE 0 END), 0) = 1`,
  `COALESCE(MAX(CASE WHEN d."status" = 'open' THEN 1 ELSE 0 END), 0) = 1`,
  `MIN(CASE WHEN d."status" = 'open' THEN d."dueDate" END)`,
] as const;

/** The case's four values from its clocks, as one row. */
const CASE_CLOCKS_SUMMARY = (caseExpr: string) => `SELECT ${CASE_CLOCK_VALUES.join(', ')} FROM "case_deadlines" d WHERE d."caseId" = ${caseExpr} AND ${TIMELINESS_CLOCK}`;

const COLUMNS_SQL = CASE_CLOCK_COLUMNS.map((c) => `"${c}"`).join(', ');

/** Recomputes the cases `where` selects (a condition on "cases") from their clocks. */
export const REFRESH_CASE_CLOCKS = (where: string) => `UPDATE "cases" SET (${COLUMNS_SQL}) = (${CASE_CLOCKS_SUMMARY('"cases"."id"')}) WHERE ${where}`;

/** Every case that has a timeliness clock recomputed (once, at the upgrade; a bulk load with the trigger off). */
export const BACKFILL_CASE_CLOCKS = REFRESH_CASE_CLOCKS(`"id" IN (SELECT d."caseId" FROM "case_deadlines" d WHERE ${TIMELINESS_CLOCK})`);

/** A clock that counts for timeliness, as a trigger sees it (NEW or OLD). */
export const COUNTS = (row: 'NEW' | 'OLD') => `(${row}."referralId" IS NULL AND ${row}."stage" IN (${STAGES_SQL}))`;

/** The index the on-time figures read: a county's cases of a period, with what the figures count. */
export const TIMELINESS_INDEX = `CREATE INDEX "IDX_cases_county_timeliness" ON "cases" ("countyCode", "receivedAt", "kind", "callbackResult", ${COLUMNS_SQL})`;

/** SQLite's triggers, by name (a bulk load of clocks drops them and runs BACKFILL_CASE_CLOCKS once instead). */
export const SQLITE_CLOCK_TRIGGERS: Record<string, string> = {
  case_clocks_insert: `CREATE TRIGGER "case_clocks_insert" AFTER INSERT ON "case_deadlines" WHEN ${COUNTS('NEW')}
      BEGIN ${REFRESH_CASE_CLOCKS('"id" = NEW."caseId"')}; END`,
  case_clocks_update: `CREATE TRIGGER "case_clocks_update" AFTER UPDATE OF "status", "late", "dueDate", "stage", "referralId", "caseId" ON "case_deadlines" WHEN ${COUNTS('OLD')} OR ${COUNTS('NEW')}
      BEGIN ${REFRESH_CASE_CLOCKS('"id" IN (OLD."caseId", NEW."caseId")')}; END`,
  case_clocks_delete: `CREATE TRIGGER "case_clocks_delete" AFTER DELETE ON "case_deadlines" WHEN ${COUNTS('OLD')}
      BEGIN ${REFRESH_CASE_CLOCKS('"id" = OLD."caseId"')}; END`,
};

export class CaseTimeliness1765800000000 implements MigrationInterface {
  name = 'CaseTimeliness1765800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD COLUMN "clocksLate" boolean NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "clocksMet" boolean NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "clocksOpen" boolean NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "clocksOpenDue" varchar(10)`);
    await q.query(BACKFILL_CASE_CLOCKS);
    await q.query(TIMELINESS_INDEX);
    for (const t of Object.values(SQLITE_CLOCK_TRIGGERS)) await q.query(t);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of Object.keys(SQLITE_CLOCK_TRIGGERS)) await q.query(`DROP TRIGGER "${t}"`);
    await q.query(`DROP INDEX "IDX_cases_county_timeliness"`);
    for (const c of [...CASE_CLOCK_COLUMNS].reverse()) await q.query(`ALTER TABLE "cases" DROP COLUMN "${c}"`);
  }
}
