import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reply to the reporter as its own text (draft, approved text, approval time) and the minor
 * flags of reporter and subject. Written by hand with ADD COLUMN: a generated migration would
 * rebuild `cases`, which is slow on a million rows and drops the triggers on the table.
 * Existing approved or closed cases keep no reply text: their 处理意见书 and status page show the
 * outcome only, never the township's notes (which they used to print).
 */
export class ReplyAndMinors1764200000000 implements MigrationInterface {
  name = 'ReplyAndMinors1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD COLUMN "reporterMinor" boolean NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "subjectMinor" boolean NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "replyDraft" text`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "replyText" text`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "replyApprovedAt" datetime`);
    // A reporter whose ID number gives a birth date less than 18 years before the receipt is a minor.
    await q.query(
      `UPDATE "cases" SET "reporterMinor" = 1 WHERE "reporterIdNumber" IS NOT NULL AND length("reporterIdNumber") = 18
         AND date(substr("reporterIdNumber", 7, 4) || '-' || substr("reporterIdNumber", 11, 2) || '-' || substr("reporterIdNumber", 13, 2), '+18 years') > date("receivedAt", '+8 hours')`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const col of ['replyApprovedAt', 'replyText', 'replyDraft', 'subjectMinor', 'reporterMinor']) await q.query(`ALTER TABLE "cases" DROP COLUMN "${col}"`);
  }
}
