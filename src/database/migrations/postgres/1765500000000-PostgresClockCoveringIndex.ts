import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's clocks found by its id carry every column the timeliness figures read (stage, lead,
 * status, late, due date), so the dashboard and the roll-up across counties read each case's
 * clocks from the index alone. Replaces the (caseId, stage) index, whose columns lead this one.
 * The same as SQLite's ClockCoveringIndex1765500000000.
 */
export class PostgresClockCoveringIndex1765500000000 implements MigrationInterface {
  name = 'PostgresClockCoveringIndex1765500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_deadlines_case"`);
    await q.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage", "referralId", "status", "late", "dueDate")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_case_deadlines_case"`);
    await q.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage")`);
  }
}
