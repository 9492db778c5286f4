import { canonicalJson, entryHash } from './history-chain';
import type { NewHistoryEntry } from './history-entry';

/*
 * A case's first history entries, written in the transaction that creates the case: the case has
 * no head yet (nobody else can see the row, let alone write its history), so the chain starts at
 * seq 1 with no previous hash and nothing is read first. Pure (no TypeORM, no driver): the intake
 * repository and the bench's bare baseline (src/bench/bare-intake.ts) use the same rows.
 */

export const ENTRY_COLUMNS = ['caseId', 'at', 'actorId', 'actorName', 'actorRole', 'type', 'action', 'fromStatus', 'toStatus', 'note', 'data', 'seq', 'prevHash', 'hash'] as const;

/** An INSERT of `rows` entries, `?` placeholders (the SQL seam reads them on either engine). */
export function insertEntriesSql(rows: number): string {
  const row = `(${ENTRY_COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO case_history (${ENTRY_COLUMNS.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`;
}

/**
 * The parameters of a new case's entries, in order (all of one case): seq 1, 2 …, each chained to
 * the one before. `at` is how the engine takes an instant (SQLite: its UTC text; PostgreSQL: the Date).
 */
export function firstEntriesParams(entries: readonly NewHistoryEntry[], at: (d: Date) => unknown): unknown[] {
  const params: unknown[] = [];
  let prevHash: string | null = null;
  let seq = 0;
  for (const e of entries) {
    if (e.caseId !== entries[0].caseId) throw new Error('first entries are of one case');
    seq++;
    const data = e.data === null || e.data === undefined ? null : canonicalJson(e.data);
    const hash = entryHash(
      { caseId: e.caseId, seq, at: e.at.toISOString(), actorId: e.actorId, actorName: e.actorName, actorRole: e.actorRole, type: e.type, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, data },
      prevHash,
    );
    params.push(e.caseId, at(e.at), e.actorId, e.actorName, e.actorRole, e.type, e.action, e.fromStatus, e.toStatus, e.note, data, seq, prevHash, hash);
    prevHash = hash;
  }
  return params;
}
