import { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalDataText, canonicalTime, entryHash } from '../../cases/history/history-chain';
import { rawDb } from '../raw';

/**
 * Hand-written: the hash chain of each case's history, and no INSERT OR REPLACE on the
 * append-only tables.
 *
 * Columns are added with ALTER TABLE ADD COLUMN, never by rebuilding the tables: a rebuild drops
 * their triggers (DESIGN.md, "Beware"). The rows of earlier releases are chained in id order per
 * case, in batches of cases, with the frozen v1 hash (history-chain.ts), and each case's head
 * set. Then:
 * - case_history_heads: one narrow row per case (seq and hash of its last entry), the anchor that
 *   shows a removed last entry. Its own table, not columns of `cases`: moving a head on the wide
 *   case row cost 7 µs an entry (a page of the cases table rewritten per entry), half of all the
 *   time the deadline scan spent on history;
 * - case_history_chain: an entry must continue its case's head (seq + 1, prevHash = head hash,
 *   a 64-character hash; seq 1 and no prevHash for a case with no head yet), so a row written
 *   past CaseHistoryWriter is refused;
 * - case_history_head: each entry moves its case's head in the same statement;
 * - *_no_replace: SQLite's REPLACE deletes the conflicting row without firing DELETE triggers
 *   (recursive_triggers is off), so `INSERT OR REPLACE … (id, …) VALUES (1, …)` overwrote row 1
 *   of an "append-only" table. A BEFORE INSERT trigger runs before the conflict is resolved.
 */
export class HistoryChain1764100000000 implements MigrationInterface {
  name = 'HistoryChain1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_history" ADD COLUMN "seq" integer NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "case_history" ADD COLUMN "prevHash" varchar(64)`);
    await q.query(`ALTER TABLE "case_history" ADD COLUMN "hash" varchar(64) NOT NULL DEFAULT ('')`);
    await q.query(`CREATE TABLE "case_history_heads" ("caseId" integer PRIMARY KEY NOT NULL, "seq" integer NOT NULL, "hash" varchar(64) NOT NULL)`);

    // The backfill writes the new columns of existing rows: the only UPDATE case_history ever gets.
    await q.query(`DROP TRIGGER "case_history_no_update"`);
    chainExistingRows(rawDb(q.manager));
    await q.query(`CREATE TRIGGER "case_history_no_update" BEFORE UPDATE ON "case_history" BEGIN SELECT RAISE(ABORT, 'case_history is append-only'); END`);

    // (caseId, seq) replaces (caseId, id): the same order for every case, one index to keep up.
    await q.query(`DROP INDEX "IDX_case_history_case"`);
    await q.query(`CREATE UNIQUE INDEX "IDX_case_history_case_seq" ON "case_history" ("caseId", "seq") `);

    await q.query(
      `CREATE TRIGGER "case_history_chain" BEFORE INSERT ON "case_history" BEGIN
         SELECT RAISE(ABORT, 'case_history: an entry must continue its case''s chain (CaseHistoryWriter)')
         WHERE length(NEW."hash") <> 64
            OR NOT (CASE WHEN EXISTS (SELECT 1 FROM "case_history_heads" WHERE "caseId" = NEW."caseId")
                         THEN EXISTS (SELECT 1 FROM "case_history_heads" h WHERE h."caseId" = NEW."caseId" AND h."seq" + 1 = NEW."seq" AND h."hash" = NEW."prevHash")
                         ELSE NEW."seq" = 1 AND NEW."prevHash" IS NULL END);
       END`,
    );
    await q.query(
      `CREATE TRIGGER "case_history_head" AFTER INSERT ON "case_history" BEGIN
         INSERT INTO "case_history_heads" ("caseId", "seq", "hash") VALUES (NEW."caseId", NEW."seq", NEW."hash")
           ON CONFLICT ("caseId") DO UPDATE SET "seq" = excluded."seq", "hash" = excluded."hash";
       END`,
    );
    for (const table of ['case_history', 'audit_events']) {
      // NEW.id is -1 when the id is left to SQLite: ordinary inserts pass without a lookup (half
      // a microsecond an entry in the deadline scan); an insert naming an id is checked.
      await q.query(
        `CREATE TRIGGER "${table}_no_replace" BEFORE INSERT ON "${table}" WHEN NEW."id" > 0 AND EXISTS (SELECT 1 FROM "${table}" WHERE "id" = NEW."id") BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_events_no_replace', 'case_history_no_replace', 'case_history_head', 'case_history_chain']) await q.query(`DROP TRIGGER IF EXISTS "${t}"`);
    await q.query(`DROP INDEX "IDX_case_history_case_seq"`);
    await q.query(`CREATE INDEX "IDX_case_history_case" ON "case_history" ("caseId", "id") `);
    await q.query(`DROP TABLE "case_history_heads"`);
    await q.query(`ALTER TABLE "case_history" DROP COLUMN "hash"`);
    await q.query(`ALTER TABLE "case_history" DROP COLUMN "prevHash"`);
    await q.query(`ALTER TABLE "case_history" DROP COLUMN "seq"`);
  }
}

/** Cases per batch: each batch is one read of their rows in (caseId, id) order, then the updates. */
const CASES_PER_BATCH = 5000;

type Row = [number, number, string, number | null, string, string | null, string, string | null, string | null, string | null, string | null, string | null];

/** Seq, prevHash and hash for every existing row, in id order per case, and each case's head. */
function chainExistingRows(db: ReturnType<typeof rawDb>): void {
  const { maxId } = db.prepare('SELECT COALESCE(MAX(id), 0) AS maxId FROM cases').get() as { maxId: number };
  const read = db
    .prepare(
      `SELECT id, caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data
       FROM case_history WHERE caseId >= ? AND caseId < ? ORDER BY caseId, id`,
    )
    .raw();
  const setRow = db.prepare('UPDATE case_history SET seq = ?, prevHash = ?, hash = ? WHERE id = ?');
  const setHead = db.prepare('INSERT INTO case_history_heads (seq, hash, caseId) VALUES (?, ?, ?)');
  for (let from = 0; from <= maxId; from += CASES_PER_BATCH) {
    const rows = read.all(from, from + CASES_PER_BATCH) as Row[];
    let caseId = -1;
    let seq = 0;
    let prev: string | null = null;
    for (const [id, cId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data] of rows) {
      if (cId !== caseId) {
        if (caseId !== -1) setHead.run(seq, prev, caseId);
        caseId = cId;
        seq = 0;
        prev = null;
      }
      seq++;
      const hash = entryHash({ caseId: cId, seq, at: canonicalTime(at), actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data: canonicalDataText(data) }, prev);
      setRow.run(seq, prev, hash, id);
      prev = hash;
    }
    if (caseId !== -1) setHead.run(seq, prev, caseId);
  }
}
