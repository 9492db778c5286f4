import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
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

  /** Townships in display order with their villages, for forms and filters. */
  async listWithVillages(includeInactive = false): Promise<Township[]> {
    return townshipsWithVillages(this.dataSource.manager, includeInactive);
  }

  async get(id: number): Promise<Township> {
    const t = await this.dataSource.getRepository(Township).findOne({ where: { id }, relations: { villages: true } });
    if (!t) throw new NotFoundException();
    t.villages.sort((a, b) => a.id - b.id);
    return t;
  }

  async getVillage(id: number): Promise<Village> {
    const v = await this.dataSource.getRepository(Village).findOne({ where: { id }, relations: { township: true } });
    if (!v) throw new NotFoundException();
    return v;
  }

  findVillage(id: number): Promise<Village | null> {
    return this.dataSource.getRepository(Village).findOneBy({ id });
  }

  findTownship(id: number): Promise<Township | null> {
    return this.dataSource.getRepository(Township).findOneBy({ id });
  }

  async saveTownship(actor: AuthUser, dto: TownshipDto, id?: number): Promise<Township> {
    try {
      return await this.writer.write(async (m) => {
        const repo = m.getRepository(Township);
        const t = id ? await repo.findOneBy({ id }) : repo.create();
        if (!t) throw new NotFoundException();
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
    if (!(await this.findTownship(dto.townshipId))) errors.push({ field: 'townshipId', message: '所属乡镇不存在' });
    if (errors.length) throw new InputInvalidException(errors);
    try {
      return await this.writer.write(async (m) => {
        const repo = m.getRepository(Village);
        const v = id ? await repo.findOneBy({ id }) : repo.create();
        if (!v) throw new NotFoundException();
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
