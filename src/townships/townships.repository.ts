import type { EntityManager } from 'typeorm';
import { Township } from './entities/township.entity';

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
