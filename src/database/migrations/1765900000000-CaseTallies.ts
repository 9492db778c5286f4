import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The supervision counts kept as running tallies per county and day, so that the on-time and
 * satisfaction figures across a province cost what the period's days hold, not its cases.
 *
 * The roll-up across 100 counties read every case of the period from an index: at ten million
 * cases, three years took 32 to 45 s on PostgreSQL, and SQLite needed 3.6 s for one million.
 * case_tallies holds, for each county, day of receipt (Asia/Shanghai) and combination of what the
 * figures read of a case (TALLY_KEY: kind, callback result, late, finished by the township, the
 * earliest due date of a running clock), how many cases have it. A period's figures sum those
 * rows with the same conditions the case query applies to single cases (supervisionCounts):
 * a county-day has a few dozen rows where it had a hundred cases or more.
 *
 * Triggers on cases keep them, in the case's own transaction, on every write of those columns
 * by any code (the clocks' triggers write the timeliness columns, so a clock's change reaches the
 * tallies as well). On SQLite, whose writes are one at a time, a trigger moves the case from its
 * old row to its new one in case_tallies. On PostgreSQL many transactions write at once, and a
 * county's new cases of a day would all wait on one row's lock until they commit; there the
 * trigger appends the change (+1 to the new key, -1 to the old) to case_tally_changes, which
 * nothing else writes, and the readers add those to the tallies; a job folds them in
 * (compactCaseTallies). SQLite's case_tally_changes stays empty, so one read serves both.
 *
 * No NULL in a key (a primary key column may not hold one on PostgreSQL, and SQLite would let
 * two NULL keys be two rows): no callback is '', no running clock's date is NO_DUE, a date after
 * every day so that "due before today" needs no special case.
 */
export const NO_DUE = '9999-12-31';

/** The tallies' key columns, in order, and their values from a row of cases (NEW, OLD or an alias). */
export const TALLY_COLUMNS = ['countyCode', 'day', 'kind', 'callbackResult', 'clocksLate', 'clocksFinished', 'clocksOpenDue'] as const;

/** Finished by the township: its verify or redo clock met, and no timeliness clock still running. */
export const CLOCKS_FINISHED = (r: string) => `(${r}."clocksMet" = TRUE AND ${r}."clocksOpen" = FALSE)`;

/** The key of a row of cases `r`, in TALLY_COLUMNS' order; `day` is the engine's Asia/Shanghai date of receivedAt. */
export const TALLY_KEY = (r: string, day: (col: string) => string) => [
  `${r}."countyCode"`,
  day(`${r}."receivedAt"`),
  `${r}."kind"`,
  `COALESCE(${r}."callbackResult", '')`,
  `${r}."clocksLate"`,
  CLOCKS_FINISHED(r),
  `COALESCE(${r}."clocksOpenDue", '${NO_DUE}')`,
];

export const SQLITE_DAY = (col: string) => `date(${col}, '+8 hours')`;

const COLUMNS_SQL = TALLY_COLUMNS.map((c) => `"${c}"`).join(', ');

/** The cases' columns the key is made of: a write of any other column leaves the tallies as they are. */
export const TALLIED_CASE_COLUMNS = ['countyCode', 'receivedAt', 'kind', 'callbackResult', 'clocksLate', 'clocksMet', 'clocksOpen', 'clocksOpenDue'] as const;

/** Both tables, the same on both engines but for the boolean columns' defaults. */
export const TALLY_TABLES = [
  `CREATE TABLE "case_tallies" ("countyCode" varchar(6) NOT NULL, "day" varchar(10) NOT NULL, "kind" varchar(20) NOT NULL, "callbackResult" varchar(30) NOT NULL,
    "clocksLate" boolean NOT NULL, "clocksFinished" boolean NOT NULL, "clocksOpenDue" varchar(10) NOT NULL, "n" integer NOT NULL,
    PRIMARY KEY (${COLUMNS_SQL}))`,
  `CREATE TABLE "case_tally_changes" ("countyCode" varchar(6) NOT NULL, "day" varchar(10) NOT NULL, "kind" varchar(20) NOT NULL, "callbackResult" varchar(30) NOT NULL,
    "clocksLate" boolean NOT NULL, "clocksFinished" boolean NOT NULL, "clocksOpenDue" varchar(10) NOT NULL, "n" integer NOT NULL)`,
];

/** Every tally from the cases, afresh (the upgrade; a bulk load with the triggers off). */
export const REBUILD_CASE_TALLIES = (day: (col: string) => string) => {
  const key = TALLY_KEY('c', day);
  return [
    `DELETE FROM "case_tally_changes"`,
    `DELETE FROM "case_tallies"`,
    `INSERT INTO "case_tallies" (${COLUMNS_SQL}, "n") SELECT ${key.join(', ')}, COUNT(*) FROM "cases" c GROUP BY ${key.join(', ')}`,
  ];
};

const ADD = (r: string) => `INSERT INTO "case_tallies" (${COLUMNS_SQL}, "n") VALUES (${TALLY_KEY(r, SQLITE_DAY).join(', ')}, 1)
  ON CONFLICT (${COLUMNS_SQL}) DO UPDATE SET "n" = "n" + 1`;
const KEY_IS = (r: string) => TALLY_COLUMNS.map((c, i) => `"${c}" = ${TALLY_KEY(r, SQLITE_DAY)[i]}`).join(' AND ');
const REMOVE = (r: string) => `UPDATE "case_tallies" SET "n" = "n" - 1 WHERE ${KEY_IS(r)}; DELETE FROM "case_tallies" WHERE ${KEY_IS(r)} AND "n" = 0`;

const [BEFORE, AFTER] = [TALLY_KEY('OLD', SQLITE_DAY), TALLY_KEY('NEW', SQLITE_DAY)];

/** SQLite's triggers, by name (a bulk load drops them and creates them again around REBUILD_CASE_TALLIES). */
export const SQLITE_TALLY_TRIGGERS: Record<string, string> = {
  case_tallies_insert: `CREATE TRIGGER "case_tallies_insert" AFTER INSERT ON "cases" BEGIN ${ADD('NEW')}; END`,
  case_tallies_update: `CREATE TRIGGER "case_tallies_update" AFTER UPDATE OF ${TALLIED_CASE_COLUMNS.map((c) => `"${c}"`).join(', ')} ON "cases"
    WHEN ${BEFORE.map((k, i) => `${k} IS NOT ${AFTER[i]}`).join(' OR ')}
    BEGIN ${REMOVE('OLD')}; ${ADD('NEW')}; END`,
  case_tallies_delete: `CREATE TRIGGER "case_tallies_delete" AFTER DELETE ON "cases" BEGIN ${REMOVE('OLD')}; END`,
};

export class CaseTallies1765900000000 implements MigrationInterface {
  name = 'CaseTallies1765900000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const s of TALLY_TABLES) await q.query(s);
    for (const s of REBUILD_CASE_TALLIES(SQLITE_DAY)) await q.query(s);
    for (const s of Object.values(SQLITE_TALLY_TRIGGERS)) await q.query(s);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of Object.keys(SQLITE_TALLY_TRIGGERS)) await q.query(`DROP TRIGGER "${t}"`);
    await q.query(`DROP TABLE "case_tally_changes"`);
    await q.query(`DROP TABLE "case_tallies"`);
  }
}
