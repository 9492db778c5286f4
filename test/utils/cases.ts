import { DataSource } from 'typeorm';

/**
 * Marks a case as handed to a township, the way the workflow's assign action will. Used to set
 * up visibility tests until the workflow exists.
 */
export async function markAssigned(ds: DataSource, caseNo: string, townshipId: number) {
  await ds.query(`UPDATE cases SET townshipId = ?, assignedAt = CURRENT_TIMESTAMP, status = 'assigned' WHERE caseNo = ?`, [townshipId, caseNo]);
}

export async function countCases(ds: DataSource): Promise<number> {
  const [row] = await ds.query('SELECT COUNT(*) AS n FROM cases');
  return row.n;
}
