import type { EntityManager } from 'typeorm';
import { fromDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';
import { Township } from './entities/township.entity';
import { Village } from './entities/village.entity';

/** The reads of townships that need more than a find. */

/**
 * The townships of the given counties with their villages in display order; only active ones
 * unless `includeInactive`. No county given: none.
 */
export function townshipsWithVillages(m: EntityManager, countyCodes: readonly string[], includeInactive: boolean): Promise<Township[]> {
  const qb = m
    .getRepository(Township)
    .createQueryBuilder('t')
    .leftJoinAndSelect('t.villages', 'v', includeInactive ? undefined : 'v.active = TRUE')
    .orderBy('t.sortOrder', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .addOrderBy('v.id', 'ASC');
  if (!includeInactive) qb.where('t.active = TRUE');
  qb.andWhere('t.countyCode IN (:...counties)', { counties: countyCodes.length ? [...countyCodes] : [''] });
  return qb.getMany();
}

type Flag = number | boolean;

/**
 * One township by id, as intake checks the one named (on every intake: one prepared statement,
 * not TypeORM's find, whose building cost more than the read). Without its villages.
 */
export async function townshipById(m: EntityManager, id: number): Promise<Township | null> {
  const row = await sqlOf(m).get<Omit<Township, 'active' | 'villages' | 'createdAt'> & { active: Flag; createdAt: string | Date }>(
    'SELECT id, code, name, countyCode, sortOrder, active, createdAt FROM townships WHERE id = ?',
    [id],
  );
  return row ? Object.assign(new Township(), { ...row, active: !!row.active, createdAt: fromDbDateTime(row.createdAt) }) : null;
}

/** One village by id (intake's check), as townshipById. */
export async function villageById(m: EntityManager, id: number): Promise<Village | null> {
  const row = await sqlOf(m).get<Omit<Village, 'active' | 'township' | 'createdAt'> & { active: Flag; createdAt: string | Date }>(
    'SELECT id, townshipId, name, type, active, createdAt FROM villages WHERE id = ?',
    [id],
  );
  return row ? Object.assign(new Village(), { ...row, active: !!row.active, createdAt: fromDbDateTime(row.createdAt) }) : null;
}
