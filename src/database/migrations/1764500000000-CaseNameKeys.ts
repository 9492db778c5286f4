import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name keys of a case's reporter and subject, for the case list's search box: the name as nameKey
 * makes it (spaces and name dots left out, src/common/names.ts), in indexed columns kept by
 * triggers, exactly as the NameKeys migration keeps users' and registered relatives' keys. Written
 * by hand with ADD COLUMN (a generated migration would rebuild `cases`, slow on a million rows).
 * The indexes are partial: anonymous cases without a subject (most of them) are not in them.
 * The characters are written out here so this migration does not change if nameKey does.
 */
const NOISE = [' ', '\u00a0', '\u3000', '\t', '·', '•', '・', '.', '．'];
const key = (col: string) => NOISE.reduce((sql, ch) => `REPLACE(${sql}, '${ch}', '')`, col);

export class CaseNameKeys1764500000000 implements MigrationInterface {
  name = 'CaseNameKeys1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD COLUMN "reporterNameKey" varchar(50)`);
    await q.query(`ALTER TABLE "cases" ADD COLUMN "subjectNameKey" varchar(50)`);
    await q.query(
      `UPDATE "cases" SET "reporterNameKey" = ${key('"reporterName"')}, "subjectNameKey" = ${key('"subjectName"')} WHERE "reporterName" IS NOT NULL OR "subjectName" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "IDX_cases_reporter_name_key" ON "cases" ("reporterNameKey") WHERE "reporterNameKey" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_cases_subject_name_key" ON "cases" ("subjectNameKey") WHERE "subjectNameKey" IS NOT NULL`);
    // whatever writes the row (intake, the demo seed, the bench's bulk seed, a later edit)
    await q.query(
      `CREATE TRIGGER cases_name_key_insert AFTER INSERT ON cases WHEN NEW.reporterName IS NOT NULL OR NEW.subjectName IS NOT NULL
       BEGIN UPDATE cases SET reporterNameKey = ${key('NEW.reporterName')}, subjectNameKey = ${key('NEW.subjectName')} WHERE id = NEW.id; END`,
    );
    await q.query(
      `CREATE TRIGGER cases_name_key_update AFTER UPDATE OF reporterName, subjectName ON cases
       BEGIN UPDATE cases SET reporterNameKey = ${key('NEW.reporterName')}, subjectNameKey = ${key('NEW.subjectName')} WHERE id = NEW.id; END`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['cases_name_key_insert', 'cases_name_key_update']) await q.query(`DROP TRIGGER IF EXISTS ${t}`);
    await q.query(`DROP INDEX IF EXISTS "IDX_cases_subject_name_key"`);
    await q.query(`DROP INDEX IF EXISTS "IDX_cases_reporter_name_key"`);
    await q.query(`ALTER TABLE "cases" DROP COLUMN "subjectNameKey"`);
    await q.query(`ALTER TABLE "cases" DROP COLUMN "reporterNameKey"`);
  }
}
