import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The supervision counts kept as running tallies per county, by day and by month, so that the
 * on-time and satisfaction figures across a province cost what the period's months and days
 * hold, not its cases.
 *
 * The roll-up across 100 counties read every case of the period from an index: at ten million
 * cases, three years took 32 to 45 s on PostgreSQL, and SQLite needed 3.6 s for one million.
 * case_tallies holds, for each county, day of receipt (Asia/Shanghai) and combination of what the
 * figures read of a case (TALLY_KEY: kind, callback result, late, finished by the township, the
 * earliest due date of a running clock), how many cases have it; case_month_tallies the same by
 * month. A period's figures sum the months it covers whole and the days at its ends, with the
 * same conditions the case query applies to single cases (supervisionCounts). A county-day has
 * nearly as many rows as cases when it has a few (the combinations are many), a county-month a
 * few hundred where it has thousands of cases: three years of a county are 36 month rows' worth
 * of groups and at most 60 days.
 *
 * Triggers on cases keep them, in the case's own transaction, on every write of those columns
 * by any code (the clocks' triggers write the timeliness columns, so a clock's change reaches the
 * tallies as well). On SQLite, whose writes are one at a time, a trigger moves the case from its
 * old rows to its new ones (day and month). On PostgreSQL many transactions write at once, and a
 * county's new cases of a day would all wait on one row's lock until they commit; there the
 * trigger appends the change (+1 to the new key, -1 to the old) to case_tally_changes, which
 * nothing else writes, and the readers add those to the tallies; a job folds them into both
 * (compactCaseTallies). SQLite's case_tally_changes stays empty, so one read serves both.
 *
 * No NULL in a key (a primary key column may not hold one on PostgreSQL, and SQLite would let
 * two NULL keys be two rows): no callback is '', no running clock's date is NO_DUE, a date after
 * every day so that "due before today" needs no special case.
 */
export const NO_DUE = '9999-12-31';

/** The tallies' key columns, in order (the month tallies have "month" where these have "day"). */
export const TALLY_COLUMNS = ['countyCode', 'day', 'kind', 'callbackResult', 'clocksLate', 'clocksFinished', 'clocksOpenDue'] as const;
export const MONTH_TALLY_COLUMNS = ['countyCode', 'month', 'kind', 'callbackResult', 'clocksLate', 'clocksFinished', 'clocksOpenDue'] as const;

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

/** The same key with the month (YYYY-MM) of that day. */
const MONTH_KEY = (r: string, day: (col: string) => string) => TALLY_KEY(r, (col) => `substr(${day(col)}, 1, 7)`);

export const SQLITE_DAY = (col: string) => `date(${col}, '+8 hours')`;

const quoted = (cols: readonly string[]) => cols.map((c) => `"${c}"`).join(', ');
const COLUMNS_SQL = quoted(TALLY_COLUMNS);
const MONTH_COLUMNS_SQL = quoted(MONTH_TALLY_COLUMNS);

/** The cases' columns the key is made of: a write of any other column leaves the tallies as they are. */
export const TALLIED_CASE_COLUMNS = ['countyCode', 'receivedAt', 'kind', 'callbackResult', 'clocksLate', 'clocksMet', 'clocksOpen', 'clocksOpenDue'] as const;

const table = (name: string, period: string, width: number, key: string | null) =>
  `CREATE TABLE "${name}" ("countyCode" varchar(6) NOT NULL, "${period}" varchar(${width}) NOT NULL, "kind" varchar(20) NOT NULL, "callbackResult" varchar(30) NOT NULL,
    "clocksLate" boolean NOT NULL, "clocksFinished" boolean NOT NULL, "clocksOpenDue" varchar(10) NOT NULL, "n" integer NOT NULL${key ? `, PRIMARY KEY (${key})` : ''})`;

/** The three tables, the same on both engines. */
export const TALLY_TABLES = [
  table('case_tallies', 'day', 10, COLUMNS_SQL),
  table('case_month_tallies', 'month', 7, MONTH_COLUMNS_SQL),
  table('case_tally_changes', 'day', 10, null),
];

/** Every tally from the cases, afresh (the upgrade; a bulk load with the triggers off): the days from the cases, the months from the days. */
export const REBUILD_CASE_TALLIES = (day: (col: string) => string) => {
  const key = TALLY_KEY('c', day);
  const month = MONTH_TALLY_COLUMNS.map((c) => (c === 'month' ? `substr(t."day", 1, 7)` : `t."${c}"`)).join(', ');
  return [
    `DELETE FROM "case_tally_changes"`,
    `DELETE FROM "case_tallies"`,
    `DELETE FROM "case_month_tallies"`,
    `INSERT INTO "case_tallies" (${COLUMNS_SQL}, "n") SELECT ${key.join(', ')}, COUNT(*) FROM "cases" c GROUP BY ${key.join(', ')}`,
    `INSERT INTO "case_month_tallies" (${MONTH_COLUMNS_SQL}, "n") SELECT ${month}, SUM(t."n") FROM "case_tallies" t GROUP BY ${month}`,
  ];
};

/** SQLite: +1 and -1 on both the day's and the month's row of a case (a row that comes to 0 is removed). */
const TABLES = [
  { name: 'case_tallies', columns: TALLY_COLUMNS, key: (r: string) => TALLY_KEY(r, SQLITE_DAY) },
  { name: 'case_month_tallies', columns: MONTH_TALLY_COLUMNS, key: (r: string) => MONTH_KEY(r, SQLITE_DAY) },
];
const ADD = (r: string) =>
  TABLES.map((t) => `INSERT INTO "${t.name}" (${quoted(t.columns)}, "n") VALUES (${t.key(r).join(', ')}, 1) ON CONFLICT (${quoted(t.columns)}) DO UPDATE SET "n" = "n" + 1`).join('; ');
const REMOVE = (r: string) =>
  TABLES.map((t) => {
    const is = t.columns.map((c, i) => `"${c}" = ${t.key(r)[i]}`).join(' AND ');
    return `UPDATE "${t.name}" SET "n" = "n" - 1 WHERE ${is}; DELETE FROM "${t.name}" WHERE ${is} AND "n" = 0`;
  }).join('; ');

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
    for (const t of ['case_tally_changes', 'case_month_tallies', 'case_tallies']) await q.query(`DROP TABLE "${t}"`);
  }
}
