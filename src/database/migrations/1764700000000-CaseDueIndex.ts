import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list sorted by deadline (期限) and filtered by overdue / due within N days: keyset pages
 * on (dueDate, id) over the cases with a running township clock. CREATE INDEX only: no table is
 * rebuilt, so no trigger is touched.
 */
export class CaseDueIndex1764700000000 implements MigrationInterface {
  name = 'CaseDueIndex1764700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_cases_due" ON "cases" ("dueDate", "id") WHERE "dueDate" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_cases_due"`);
  }
}
