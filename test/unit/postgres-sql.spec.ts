import { toPostgresSql } from '../../src/database/postgres-sql';

describe('toPostgresSql: one SQL text for both engines', () => {
  it('numbers placeholders and quotes camelCase names, leaving keywords and snake_case alone', () => {
    expect(toPostgresSql('SELECT c.caseNo, COUNT(*) AS n FROM cases c WHERE c.townshipId = ? AND dueDate < ? LIMIT ?')).toBe(
      'SELECT c."caseNo", COUNT(*) AS n FROM cases c WHERE c."townshipId" = $1 AND "dueDate" < $2 LIMIT $3',
    );
    expect(toPostgresSql('SELECT id FROM case_deadlines WHERE stage = ?')).toBe('SELECT id FROM case_deadlines WHERE stage = $1');
  });

  it('leaves strings, quoted names, comments and function bodies as they are', () => {
    expect(toPostgresSql(`SELECT "caseNo", 'is it? caseId' FROM cases -- why? townshipId\nWHERE x = ?`)).toBe(
      `SELECT "caseNo", 'is it? caseId' FROM cases -- why? townshipId\nWHERE x = $1`,
    );
    expect(toPostgresSql(`SELECT 'it''s ? here', ? /* caseId? */`)).toBe(`SELECT 'it''s ? here', $1 /* caseId? */`);
    expect(toPostgresSql(`CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.caseId := 1; END $$ LANGUAGE plpgsql`)).toBe(
      `CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.caseId := 1; END $$ LANGUAGE plpgsql`,
    );
  });

  it('leaves what TypeORM writes for PostgreSQL unchanged', () => {
    const typeorm = 'SELECT "c"."id" AS "c_id" FROM "cases" "c" WHERE "c"."townshipId" = $1 AND "c"."status" IN ($2, $3)';
    expect(toPostgresSql(typeorm)).toBe(typeorm);
  });
});
