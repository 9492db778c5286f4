import type { EntityManager } from 'typeorm';
import { toDbDateTime } from '../common/time';
import { perEngine, Sql, sqlFrom, sqlOf } from '../database/sql';
import { CASE_SEARCH } from './case-search.repository';
import type { Case } from './entities/case.entity';

/**
 * Intake's statements: the hot write path (the benchmark's cases per second), so plain prepared
 * statements, not TypeORM's query builder, whose building cost more than running them.
 */

/** A case named by its number, if the scope (the viewer's, as caseScopeSql gives it) lets them see it. */
export async function caseNoInScope(m: EntityManager, caseNo: string, scope: { sql: string; params: unknown[] }): Promise<{ id: number; caseNo: string } | undefined> {
  return sqlOf(m).get<{ id: number; caseNo: string }>(`SELECT id, caseNo FROM cases c WHERE caseNo = ? AND ${scope.sql}`, [caseNo, ...scope.params]);
}

/** The number of a case by id. */
export async function caseNoOf(db: EntityManager | Sql, id: number): Promise<string | undefined> {
  return (await sqlFrom(db).get<{ caseNo: string }>('SELECT caseNo FROM cases WHERE id = ?', [id]))?.caseNo;
}

/** The fields of a new case's row that intake sets (the rest take their defaults). */
export type NewCaseRow = Pick<
  Case,
  'caseNo' | 'countyCode' | 'channel' | 'kind' | 'program' | 'problemTypes' | 'reporterType' | 'content' | 'urgency' | 'receivedAt' | 'createdAt' | 'createdById'
> &
  Partial<Pick<Case, 'reporterName' | 'reporterPhone' | 'reporterIdNumber' | 'reporterAddress' | 'reporterMinor' | 'townshipId' | 'villageId' | 'subjectName' | 'subjectUnit' | 'subjectPost' | 'subjectMinor' | 'repeatOfId'>> & {
    status: Case['status'];
    queryCodeHash: string;
  };

const CASE_COLUMNS = `caseNo, countyCode, channel, kind, program, problemTypes, reporterType, reporterName, reporterPhone, reporterIdNumber, reporterAddress, reporterMinor,
       townshipId, villageId, subjectName, subjectUnit, subjectPost, subjectMinor, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version, queryCodeHash,
       repeatOfId`;
const CASE_VALUES = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?';

/**
 * A new case's rows. PostgreSQL takes the case, its problem types and its search row in one
 * statement (a data-modifying WITH: one round trip instead of three or more; the foreign keys are
 * checked at the statement's end, when the case is there). SQLite, in the process, runs them one
 * after another, the problem types in one multi-row INSERT.
 */
const INSERT_CASE = perEngine({
  sqlite: { together: false, statement: `INSERT INTO cases (${CASE_COLUMNS}) VALUES (${CASE_VALUES}) RETURNING id` },
  postgres: {
    together: true,
    statement: `WITH c AS (INSERT INTO cases (${CASE_COLUMNS}) VALUES (${CASE_VALUES}) RETURNING id),
       p AS (INSERT INTO case_problem_types (caseId, problemType) SELECT c.id, t FROM c, unnest(CAST(? AS varchar[])) AS t),
       s AS (INSERT INTO case_search (caseId, body) SELECT c.id, CAST(? AS tsvector) FROM c)
     SELECT id FROM c`,
  },
});

/** Inserts the case row, its problem-type rows and its search row (the index of its content); its id. */
export async function insertCaseRow(db: EntityManager | Sql, r: NewCaseRow): Promise<number> {
  const sql = sqlFrom(db);
  const at = toDbDateTime(r.createdAt);
  const values = [r.caseNo, r.countyCode, r.channel, r.kind, r.program, r.problemTypes.join(','), r.reporterType, r.reporterName ?? null,
    r.reporterPhone ?? null, r.reporterIdNumber ?? null, r.reporterAddress ?? null, !!r.reporterMinor, r.townshipId ?? null, r.villageId ?? null,
    r.subjectName ?? null, r.subjectUnit ?? null, r.subjectPost ?? null, !!r.subjectMinor, r.content, r.urgency, r.status,
    toDbDateTime(r.receivedAt), r.createdById, at, at, r.queryCodeHash, r.repeatOfId ?? null];
  const body = CASE_SEARCH.body(r.content);
  if (INSERT_CASE.together) {
    const inserted = await sql.get<{ id: number }>(INSERT_CASE.statement, [...values, r.problemTypes, body]);
    return Number(inserted!.id);
  }
  const inserted = await sql.get<{ id: number }>(INSERT_CASE.statement, values);
  const id = Number(inserted!.id);
  if (r.problemTypes.length) {
    await sql.run(`INSERT INTO case_problem_types (caseId, problemType) VALUES ${r.problemTypes.map(() => '(?, ?)').join(', ')}`, r.problemTypes.flatMap((p) => [id, p]));
  }
  await sql.run(CASE_SEARCH.insert, [id, body]);
  return id;
}
