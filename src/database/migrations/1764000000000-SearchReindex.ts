import { MigrationInterface, QueryRunner } from 'typeorm';
import { toSearchBody } from '../../cases/search-text';

const BATCH = 2000;

/**
 * Hand-written: case_search again from cases.content, with the tokenizer that takes Han as the
 * Unicode script (𠮷 outside the BMP, 〇): the first release's tokenizer took such a character
 * and everything after it in its run as one word, so the rest of the run could not be found.
 * Only rows whose tokens change are written (most contents have neither), keyset by id in
 * batches, so a million cases do not sit in memory. No table is rebuilt (no trigger is lost).
 *
 * It uses the application's tokenizer on purpose: the index must be what the running code
 * queries. A later change of the tokenizer brings its own reindex.
 */
export class SearchReindex1764000000000 implements MigrationInterface {
  name = 'SearchReindex1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    let last = 0;
    for (;;) {
      const rows: { id: number; content: string; body: string | null }[] = await q.query(
        `SELECT c.id, c.content, s.body FROM cases c LEFT JOIN case_search s ON s.rowid = c.id WHERE c.id > ? ORDER BY c.id LIMIT ${BATCH}`,
        [last],
      );
      if (!rows.length) break;
      for (const r of rows) {
        const body = toSearchBody(r.content ?? '');
        if (body === r.body) continue;
        if (r.body === null) await q.query('INSERT INTO case_search (rowid, body) VALUES (?, ?)', [r.id, body]);
        else await q.query('UPDATE case_search SET body = ? WHERE rowid = ?', [body, r.id]);
      }
      last = rows[rows.length - 1].id;
    }
  }

  public async down(): Promise<void> {
    // Nothing to undo: the tokens are a finer reading of the same text, and the first release's
    // queries still find what they found before.
  }
}
