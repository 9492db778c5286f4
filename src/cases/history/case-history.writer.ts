import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isPostgres } from '../../database/engine';
import { rawDb } from '../../database/raw';
import { insertEntries } from './case-history.repository';
import type { NewHistoryEntry } from './history-entry';

/**
 * The one writer of the case history (Vendure's HistoryService): every row of every case is
 * appended here, typed by its entry kind and chained to the case's previous row. Called inside
 * the caller's write (DbWriter.write), so the entry commits or rolls back with what it records.
 */
@Injectable()
export class CaseHistoryWriter {
  /** One entry, in the caller's transaction. */
  async append(m: EntityManager, entry: NewHistoryEntry): Promise<void> {
    return this.appendMany(m, [entry]);
  }

  /**
   * Entries of a bulk job (the deadline scan, a recomputation), in order: one query for the
   * heads of all their cases and multi-row inserts, so a batch of 20,000 costs milliseconds.
   */
  async appendMany(m: EntityManager, entries: readonly NewHistoryEntry[]): Promise<void> {
    // Outside a transaction another writer could take the same head between read and insert.
    const inTransaction = isPostgres ? !!m.queryRunner?.isTransactionActive : rawDb(m).inTransaction;
    if (!inTransaction) throw new Error('case history is written inside a write transaction (DbWriter.write)');
    await insertEntries(m, entries);
  }

  /**
   * The first entries of cases inserted in the caller's transaction (intake, the demo data): their
   * chains start at seq 1 with no head to read. For a case that already has entries the
   * database refuses the row (its chain check), so a wrong call fails rather than forks a chain.
   */
  async appendFirst(m: EntityManager, entries: readonly NewHistoryEntry[]): Promise<void> {
    const inTransaction = isPostgres ? !!m.queryRunner?.isTransactionActive : rawDb(m).inTransaction;
    if (!inTransaction) throw new Error('case history is written inside a write transaction (DbWriter.write)');
    await insertEntries(m, entries, true);
  }
}
