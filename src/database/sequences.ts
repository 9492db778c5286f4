import type { EntityManager } from 'typeorm';
import { sqlOf } from './sql';

/**
 * The next number of a yearly series (case numbers, lead numbers), atomic in the caller's write:
 * one upsert on case_sequences, so two instances on one database never hand out the same number
 * (on PostgreSQL the conflicting row is locked until the first write commits).
 */
export async function nextInSeries(m: EntityManager, prefix: string, year: number): Promise<number> {
  const row = await sqlOf(m).get<{ lastValue: number }>(
    `INSERT INTO case_sequences AS s (prefix, year, lastValue) VALUES (?, ?, 1)
     ON CONFLICT (prefix, year) DO UPDATE SET lastValue = s.lastValue + 1
     RETURNING lastValue`,
    [prefix, year],
  );
  return Number(row!.lastValue);
}
