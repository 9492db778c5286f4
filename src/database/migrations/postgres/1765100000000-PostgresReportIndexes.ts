import { MigrationInterface, QueryRunner } from 'typeorm';

/** The report indexes of SQLite's ReportIndexes1764900000000, on PostgreSQL (the visit date read as reports.repository.ts reads it). */
export class PostgresReportIndexes1765100000000 implements MigrationInterface {
  name = 'PostgresReportIndexes1765100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_cases_closed" ON "cases" ("closedAt", "id") WHERE "closedAt" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_case_history_action_at" ON "case_history" ("action", "at")`);
    await q.query(`CREATE INDEX "IDX_case_history_visit_date" ON "case_history" ("action", (("data"::json ->> 'visitDate'))) WHERE "action" IN ('verify', 'county-visit')`);
    await q.query(`CREATE INDEX "IDX_case_deadlines_closed" ON "case_deadlines" ("closedAt") WHERE "closedAt" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_case_deadlines_notice_due" ON "case_deadlines" ("dueDate") WHERE "stage" = 'receiptNotice'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const name of ['IDX_case_deadlines_notice_due', 'IDX_case_deadlines_closed', 'IDX_case_history_visit_date', 'IDX_case_history_action_at', 'IDX_cases_closed']) await q.query(`DROP INDEX IF EXISTS "${name}"`);
  }
}
