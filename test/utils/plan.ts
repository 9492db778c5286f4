import type { DataSource } from 'typeorm';
import { onPostgres } from './engine';

/**
 * The query plan of a statement, its lines joined with ' | ', on this project's engine:
 * - SQLite: EXPLAIN QUERY PLAN (SEARCH c USING INDEX …, SCAN c …);
 * - PostgreSQL: EXPLAIN's nodes, one line each (`Index Scan using IDX on cases c cond`,
 *   `Seq Scan on cases c`, `Bitmap Index Scan on IDX`; an index scan without an index condition,
 *   which reads the whole table in index order, says `nocond`), with sequential scans priced out. A test database holds a few hundred cases, where reading the
 *   table is honestly the cheapest plan; the question a plan test asks is whether an index can
 *   serve the query at all (as it must at a million cases), and with seq scans off PostgreSQL
 *   reads the table only when no index can.
 */
export async function queryPlan(ds: DataSource, sql: string, params: unknown[] = []): Promise<string> {
  if (!onPostgres) {
    const rows: { detail: string }[] = await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((r) => r.detail).join(' | ');
  }
  const qr = ds.createQueryRunner();
  try {
    await qr.startTransaction();
    // the planner's statistics of the rows the test has just written (autovacuum may not have run)
    await qr.query('ANALYZE');
    await qr.query('SET LOCAL enable_seqscan = off');
    const [row] = (await qr.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as { 'QUERY PLAN': [{ Plan: PgNode }] }[];
    const lines: string[] = [];
    const walk = (n: PgNode) => {
      const on = n['Relation Name'] ? ` on ${n['Relation Name']} ${n.Alias}` : '';
      if (n['Node Type'] === 'Bitmap Index Scan') lines.push(`Bitmap Index Scan on ${n['Index Name']}`);
      else if (n['Index Name']) lines.push(`${n['Node Type']} using ${n['Index Name']}${on} ${n['Index Cond'] ? 'cond' : 'nocond'}`);
      else lines.push(`${n['Node Type']}${on}`);
      for (const c of n.Plans ?? []) walk(c);
    };
    walk(row['QUERY PLAN'][0].Plan);
    return lines.join(' | ');
  } finally {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    await qr.release();
  }
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgNode[];
}

/** The name of an index of `table` whose first column is `column` (the engine's catalogue). */
export async function indexOnColumn(ds: DataSource, table: string, column: string): Promise<string> {
  const rows: { name: string }[] = onPostgres
    ? await ds.query(
        `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class tb ON tb.oid = x.indrelid
         JOIN pg_attribute a ON a.attrelid = tb.oid AND a.attnum = x.indkey[0] WHERE tb.relname = ? AND a.attname = ? ORDER BY i.relname LIMIT 1`,
        [table, column],
      )
    : await ds.query(`SELECT il.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE ii.name = ? AND ii.seqno = 0 LIMIT 1`, [table, column]);
  return rows[0].name;
}

/** A plan line that reads `table` (alias `alias`) through the named index, in the engine's words. */
export function usesIndex(alias: string, index: string): RegExp {
  return onPostgres
    ? new RegExp(`(Index (Only )?Scan using ${index} on \\w+ ${alias} cond|Bitmap Index Scan on ${index}\\b)`)
    : new RegExp(`SEARCH ${alias} USING (COVERING )?INDEX ${index}\\b`);
}

/** A plan line that reads every row of the table under `alias`. */
export function readsWholeTable(alias: string): RegExp {
  return onPostgres ? new RegExp(`(Seq Scan on \\w+ ${alias}\\b|using \\S+ on \\w+ ${alias} nocond)`) : new RegExp(`SCAN ${alias}\\b(?! VIRTUAL)`);
}
