import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written, not generated: things TypeORM has no entity words for.
 * - case_search: an FTS5 index of each case's content in overlapping two-character tokens, so
 *   that any Chinese substring (even one or two characters, e.g. 低保) is found without a full
 *   scan. rowid = cases.id. Maintained by the app in the same transaction as the case.
 * - Triggers that make case_history and audit_events append-only in the database itself.
 */
export class SearchAndAppendOnly1763700000001 implements MigrationInterface {
  name = 'SearchAndAppendOnly1763700000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIRTUAL TABLE "case_search" USING fts5(body, tokenize = 'unicode61', prefix = '1')`);
    for (const table of ['case_history', 'audit_events']) {
      await q.query(
        `CREATE TRIGGER "${table}_no_update" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      );
      await q.query(
        `CREATE TRIGGER "${table}_no_delete" BEFORE DELETE ON "${table}" BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['case_history', 'audit_events']) {
      await q.query(`DROP TRIGGER IF EXISTS "${table}_no_update"`);
      await q.query(`DROP TRIGGER IF EXISTS "${table}_no_delete"`);
    }
    await q.query(`DROP TABLE IF EXISTS "case_search"`);
  }
}
