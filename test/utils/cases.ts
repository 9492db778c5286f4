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

/**
 * `n` more cases copied from case `sourceId` (numbered `${prefix}-000001` …), in one statement:
 * enough rows for a long export or report without going through intake.
 */
export async function copyCases(ds: DataSource, sourceId: number, n: number, prefix: string, postgres: boolean): Promise<void> {
  const copied = `name NOT IN ('id', 'caseNo', 'queryCodeHash')`;
  const cols = (
    await ds.query(
      postgres
        ? `SELECT name FROM (SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cases') x WHERE ${copied}`
        : `SELECT name FROM pragma_table_info('cases') WHERE ${copied}`,
    )
  ).map((c: { name: string }) => `"${c.name}"`);
  const serial = postgres ? `lpad(CAST(n.i AS text), 6, '0')` : `printf('%06d', n.i)`;
  await ds.query(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Number(n)})
     INSERT INTO cases (caseNo, ${cols.join(', ')}) SELECT '${prefix}-' || ${serial}, ${cols.map((c: string) => `c.${c}`).join(', ')} FROM n, cases c WHERE c.id = ?`,
    [sourceId],
  );
}
