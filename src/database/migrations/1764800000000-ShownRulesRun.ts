import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_RECEIPT = '《信访工作条例》第二十二、二十三条：15日内书面告知';
const NEW_RECEIPT = '《信访工作条例》第二十二条、第二十三条：自收到信访事项之日起15日内书面告知信访人（姓名、住址不清的除外）';
const OLD_REVIEW = '《信访工作条例》第三十五、三十六条：复查、复核各30日';
const NEW_REVIEW = '《信访工作条例》第三十五条：收到复查请求之日起30日内提出复查意见';

/**
 * The rules that were shown but governed nothing now run (书面告知, 复查/复核, the death re-check,
 * the relative registration's due date, the county's own clocks). Written by hand with ADD
 * COLUMN: a generated migration would rebuild `cases` and `relative_registrations` and drop their
 * triggers. The new rules themselves (复核, the review window, the county clocks) are inserted at
 * start-up by DeadlinesService like every missing default rule; the registrations' due dates are
 * filled there too, since they need the holiday calendar. Existing cases get no 书面告知 clock:
 * the rule runs for cases received from this release on (a clock started for a year-old case would
 * only be overdue). Sources of the two old rules change only if nobody edited them.
 */
export class ShownRulesRun1764800000000 implements MigrationInterface {
  name = 'ShownRulesRun1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const [col, type] of [
      ['receiptNoticeKind', 'varchar(20)'],
      ['receiptNoticeMethod', 'varchar(20)'],
      ['receiptNoticeDate', 'varchar(10)'],
      ['reviewState', 'varchar(20)'],
      ['reviewDecidedOn', 'varchar(10)'],
      ['recipientDeathDate', 'varchar(10)'],
      ['deathRecheckResult', 'varchar(20)'],
    ]) {
      await q.query(`ALTER TABLE "cases" ADD COLUMN "${col}" ${type}`);
    }
    await q.query(`ALTER TABLE "relative_registrations" ADD COLUMN "dueDate" varchar(10)`);
    await q.query(`UPDATE "deadline_rules" SET "source" = ? WHERE "stage" = 'receiptNotice' AND "source" = ?`, [NEW_RECEIPT, OLD_RECEIPT]);
    await q.query(`UPDATE "deadline_rules" SET "source" = ? WHERE "stage" = 'review' AND "source" = ?`, [NEW_REVIEW, OLD_REVIEW]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "deadline_rules" SET "source" = ? WHERE "stage" = 'review' AND "source" = ?`, [OLD_REVIEW, NEW_REVIEW]);
    await q.query(`UPDATE "deadline_rules" SET "source" = ? WHERE "stage" = 'receiptNotice' AND "source" = ?`, [OLD_RECEIPT, NEW_RECEIPT]);
    await q.query(`DELETE FROM "deadline_rules" WHERE "stage" IN ('rereview', 'reviewRequest', 'countyAccept', 'countyAssign')`);
    await q.query(`ALTER TABLE "relative_registrations" DROP COLUMN "dueDate"`);
    for (const col of ['deathRecheckResult', 'recipientDeathDate', 'reviewDecidedOn', 'reviewState', 'receiptNoticeDate', 'receiptNoticeMethod', 'receiptNoticeKind']) {
      await q.query(`ALTER TABLE "cases" DROP COLUMN "${col}"`);
    }
  }
}
