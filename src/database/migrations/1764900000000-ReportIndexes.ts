import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly and monthly reports read their period's rows through indexes, not the whole tables:
 * cases closed in a range, history entries of an action in a range, the visits of a range by the
 * visit's own date (an expression index on the entry's JSON), clocks closed since a day and
 * 书面告知 notices due in a range. CREATE INDEX only: no table is rebuilt, so no trigger is touched.
 */
export class ReportIndexes1764900000000 implements MigrationInterface {
  name = 'ReportIndexes1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_cases_closed" ON "cases" ("closedAt", "id") WHERE "closedAt" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_case_history_action_at" ON "case_history" ("action", "at")`);
    await q.query(`CREATE INDEX "IDX_case_history_visit_date" ON "case_history" ("action", json_extract("data", '$.visitDate')) WHERE "action" IN ('verify', 'county-visit')`);
    await q.query(`CREATE INDEX "IDX_case_deadlines_closed" ON "case_deadlines" ("closedAt") WHERE "closedAt" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_case_deadlines_notice_due" ON "case_deadlines" ("dueDate") WHERE "stage" = 'receiptNotice'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const name of ['IDX_case_deadlines_notice_due', 'IDX_case_deadlines_closed', 'IDX_case_history_visit_date', 'IDX_case_history_action_at', 'IDX_cases_closed']) await q.query(`DROP INDEX IF EXISTS "${name}"`);
  }
}
