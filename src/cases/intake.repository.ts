import type { EntityManager } from 'typeorm';
import { toDbDateTime } from '../common/time';
import { Sql, sqlFrom, sqlOf } from '../database/sql';
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

/** Inserts the case row and its problem-type rows; its id. */
export async function insertCaseRow(db: EntityManager | Sql, r: NewCaseRow): Promise<number> {
  const sql = sqlFrom(db);
  const at = toDbDateTime(r.createdAt);
  const inserted = await sql.get<{ id: number }>(
    `INSERT INTO cases (caseNo, countyCode, channel, kind, program, problemTypes, reporterType, reporterName, reporterPhone, reporterIdNumber, reporterAddress, reporterMinor,
       townshipId, villageId, subjectName, subjectUnit, subjectPost, subjectMinor, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version, queryCodeHash,
       repeatOfId)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
    [r.caseNo, r.countyCode, r.channel, r.kind, r.program, r.problemTypes.join(','), r.reporterType, r.reporterName ?? null,
    r.reporterPhone ?? null, r.reporterIdNumber ?? null, r.reporterAddress ?? null, !!r.reporterMinor, r.townshipId ?? null, r.villageId ?? null,
    r.subjectName ?? null, r.subjectUnit ?? null, r.subjectPost ?? null, !!r.subjectMinor, r.content, r.urgency, r.status,
    toDbDateTime(r.receivedAt), r.createdById, at, at, r.queryCodeHash, r.repeatOfId ?? null],
  );
  const id = Number(inserted!.id);
  for (const p of r.problemTypes) await sql.run('INSERT INTO case_problem_types (caseId, problemType) VALUES (?, ?)', [id, p]);
  return id;
}
