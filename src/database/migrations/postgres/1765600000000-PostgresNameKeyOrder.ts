import { MigrationInterface, QueryRunner } from 'typeorm';

/** The characters nameKey leaves out of a name, written out as in PostgresInit (the same expression, or the index is not used). */
const NOISE = [' ', '\u00a0', '\u3000', '\t', '·', '•', '・', '.', '．'];
const key = (col: string) => NOISE.reduce((sql, ch) => `REPLACE(${sql}, '${ch}', '')`, col);

/**
 * The name lookups of the search box (a reporter's or subject's name key) list their cases newest
 * registered first (ORDER BY id DESC, LIMIT a page). On PostgreSQL the name-key indexes held the
 * key alone, so the planner had to choose between them and walking the primary key backwards;
 * for a name in no case (a word such as 低保 is tried as a name too) it walked all the cases: 0.75 s
 * at 1M. With the id after the key, the index gives both the match and the order. (SQLite's
 * indexes end with the rowid, which is the id: it already had this.)
 */
export class PostgresNameKeyOrder1765600000000 implements MigrationInterface {
  name = 'PostgresNameKeyOrder1765600000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const [index, col] of [['IDX_cases_reporter_name_key', 'reporterName'], ['IDX_cases_subject_name_key', 'subjectName']]) {
      await q.query(`DROP INDEX "${index}"`);
      await q.query(`CREATE INDEX "${index}" ON "cases" ((${key(`"${col}"`)}), "id") WHERE "${col}" IS NOT NULL`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [index, col] of [['IDX_cases_reporter_name_key', 'reporterName'], ['IDX_cases_subject_name_key', 'subjectName']]) {
      await q.query(`DROP INDEX "${index}"`);
      await q.query(`CREATE INDEX "${index}" ON "cases" (${key(`"${col}"`)}) WHERE "${col}" IS NOT NULL`);
    }
  }
}
