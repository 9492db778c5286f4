import type { EntityManager } from 'typeorm';
import { sqlOf } from '../database/sql';

/** Throws unless the database answers a statement. */
export async function pingDatabase(m: EntityManager): Promise<void> {
  await sqlOf(m).get('SELECT 1 AS ok');
}
