import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { reachesCounty } from '../cases/case-access';
import { AuditService } from '../audit/audit.service';
import { FieldError, InputInvalidException } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { isUniqueViolation } from '../database/errors';
import { TownshipDto, VillageDto } from './dto/township.dto';
import { Township } from './entities/township.entity';
import { Village } from './entities/village.entity';
import { townshipsWithVillages } from './townships.repository';

@Injectable()
export class TownshipsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly audit: AuditService,
  ) {}

  /**
   * The townships of the counties the user reaches, in display order with their villages, for
   * forms and filters (a county's staff see only their own county's townships).
   */
  async listWithVillages(user: AuthUser, includeInactive = false): Promise<Township[]> {
    return townshipsWithVillages(this.dataSource.manager, user.countyCodes ?? [], includeInactive);
  }

  /** A township of the user's counties (another county's is not found, like one that does not exist). */
  async get(user: AuthUser, id: number): Promise<Township> {
    const t = await this.dataSource.getRepository(Township).findOne({ where: { id }, relations: { villages: true } });
    if (!t || !reachesCounty(user, t.countyCode)) throw new NotFoundException();
    t.villages.sort((a, b) => a.id - b.id);
    return t;
  }

  async getVillage(user: AuthUser, id: number): Promise<Village> {
    const v = await this.dataSource.getRepository(Village).findOne({ where: { id }, relations: { township: true } });
    if (!v || !reachesCounty(user, v.township.countyCode)) throw new NotFoundException();
    return v;
  }

  findVillage(id: number): Promise<Village | null> {
    return this.dataSource.getRepository(Village).findOneBy({ id });
  }

  /** The township if it is in one of the user's counties. */
  async findTownship(user: AuthUser, id: number): Promise<Township | null> {
    const t = await this.dataSource.getRepository(Township).findOneBy({ id });
    return t && reachesCounty(user, t.countyCode) ? t : null;
  }

  async saveTownship(actor: AuthUser, dto: TownshipDto, id?: number): Promise<Township> {
    try {
      return await this.writer.write(async (m) => {
        const repo = m.getRepository(Township);
        const t = id ? await repo.findOneBy({ id, countyCode: actor.regionCode ?? '' }) : repo.create({ countyCode: actor.regionCode ?? '' });
        if (!t) throw new NotFoundException();
        // GB/T 2260: a township's division code begins with its county's six digits. Several
        // counties share a database and codes are unique in it, so a code of another county would
        // take that county's township away from it (and the one-county upgrade reads counties from these codes).
        if (dto.code !== t.code && !dto.code.startsWith(t.countyCode)) {
          throw new InputInvalidException([{ field: 'code', message: `区划代码应以本县代码 ${t.countyCode} 开头` }]);
        }
        const before = id ? { code: t.code, name: t.name, active: t.active } : null;
        Object.assign(t, { code: dto.code, name: dto.name, sortOrder: dto.sortOrder ?? t.sortOrder ?? 0 });
        if (dto.active !== undefined && id) t.active = dto.active;
        const saved = await repo.save(t);
        await this.audit.record(actor, id ? 'township.update' : 'township.create', 'township', String(saved.id), { before, after: dto as unknown as Record<string, unknown> });
        return saved;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new InputInvalidException([{ field: 'name', message: '乡镇名称或区划代码已存在' }]);
      throw e;
    }
  }

  async saveVillage(actor: AuthUser, dto: VillageDto, id?: number): Promise<Village> {
    const errors: FieldError[] = [];
    if (!(await this.findTownship(actor, dto.townshipId))) errors.push({ field: 'townshipId', message: '所属乡镇不存在' });
    if (errors.length) throw new InputInvalidException(errors);
    try {
      return await this.writer.write(async (m) => {
        const repo = m.getRepository(Village);
        const v = id ? await repo.findOneBy({ id }) : repo.create();
        // a village of another county's township is not found
        if (!v || (id && (await m.getRepository(Township).findOneBy({ id: v.townshipId }))?.countyCode !== actor.regionCode)) throw new NotFoundException();
        Object.assign(v, { townshipId: dto.townshipId, name: dto.name, type: dto.type });
        if (dto.active !== undefined && id) v.active = dto.active;
        const saved = await repo.save(v);
        await this.audit.record(actor, id ? 'village.update' : 'village.create', 'village', String(saved.id), dto as unknown as Record<string, unknown>);
        return saved;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new InputInvalidException([{ field: 'name', message: '该乡镇下已有同名村（社区）' }]);
      throw e;
    }
  }
}
