import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { ApiToken } from '../auth/entities/api-token.entity';
import { SessionRow } from '../auth/entities/session.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ID_NUMBER_MESSAGES, idNumberProblem, isMainlandPhone, normaliseIdNumber, normalisePhone } from '../common/identity';
import { FieldError, InputInvalidException } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { isUniqueViolation } from '../database/errors';
import { Township } from '../townships/entities/township.entity';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { User } from './entities/user.entity';

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The users an administrator manages: those of their own region (their county). */
  list(actor: AuthUser): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ where: { regionCode: actor.regionCode ?? '' }, relations: { township: true }, order: { role: 'ASC', username: 'ASC' } });
  }

  /** A user of the administrator's region; another county's user is not found. */
  async get(actor: AuthUser, id: number): Promise<User> {
    const u = await this.dataSource.getRepository(User).findOne({ where: { id, regionCode: actor.regionCode ?? '' }, relations: { township: true } });
    if (!u) throw new NotFoundException();
    return u;
  }

  /**
   * Role and township belong together: township staff need one of the administrator's county,
   * nobody else has one. Above a county there are only supervisors and administrators.
   */
  private async check(actor: AuthUser, dto: UpdateUserDto): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    if (actor.level && actor.level !== 'county' && !['supervisor', 'admin'].includes(dto.role)) {
      errors.push({ field: 'role', message: '市级、省级只设督办员和系统管理员' });
    }
    if (dto.role === 'township') {
      if (!dto.townshipId) errors.push({ field: 'townshipId', message: '乡镇民政助理员须选择所属乡镇' });
      else if (!(await this.dataSource.getRepository(Township).findOneBy({ id: dto.townshipId, countyCode: actor.regionCode ?? '' }))) {
        errors.push({ field: 'townshipId', message: '所选乡镇不存在' });
      }
    }
    if (dto.phone && !isMainlandPhone(dto.phone)) errors.push({ field: 'phone', message: '请输入有效的手机号或固定电话' });
    if (dto.idNumber) {
      const p = idNumberProblem(dto.idNumber);
      if (p) errors.push({ field: 'idNumber', message: ID_NUMBER_MESSAGES[p] });
    }
    return errors;
  }

  private fields(dto: UpdateUserDto) {
    return {
      displayName: dto.displayName,
      role: dto.role,
      townshipId: dto.role === 'township' ? dto.townshipId! : null,
      phone: dto.phone ? normalisePhone(dto.phone) : null,
      idNumber: dto.idNumber ? normaliseIdNumber(dto.idNumber) : null,
    };
  }

  async create(actor: AuthUser, dto: CreateUserDto): Promise<User> {
    const errors = await this.check(actor, dto);
    if (await this.dataSource.getRepository(User).findOneBy({ username: dto.username })) {
      errors.unshift({ field: 'username', message: '该用户名已被使用' });
    }
    if (errors.length) throw new InputInvalidException(errors);
    const passwordHash = await AuthService.hashNewPassword(dto.password, dto.username);
    try {
      return await this.writer.write(async (m) => {
        const user = await m.getRepository(User).save(
          m.getRepository(User).create({ username: dto.username, passwordHash, passwordChangedAt: this.clock.now(), regionCode: actor.regionCode ?? '', ...this.fields(dto) }),
        );
        await this.audit.record(actor, 'user.create', 'user', String(user.id), { username: user.username, role: user.role, townshipId: user.townshipId });
        return user;
      });
    } catch (e) {
      // the same name created meanwhile (another request, another instance): the index decides
      if (isUniqueViolation(e)) throw new InputInvalidException([{ field: 'username', message: '该用户名已被使用' }]);
      throw e;
    }
  }

  async update(actor: AuthUser, id: number, dto: UpdateUserDto): Promise<User> {
    const errors = await this.check(actor, dto);
    if (errors.length) throw new InputInvalidException(errors);
    return this.writer.write(async (m) => {
      const repo = m.getRepository(User);
      const user = await repo.findOneBy({ id, regionCode: actor.regionCode ?? '' });
      if (!user) throw new NotFoundException();
      const before = { role: user.role, townshipId: user.townshipId, displayName: user.displayName };
      Object.assign(user, this.fields(dto));
      await repo.save(user);
      await this.audit.record(actor, 'user.update', 'user', String(id), { before, after: { role: user.role, townshipId: user.townshipId, displayName: user.displayName } });
      return user;
    });
  }

  /** A new password ends every session and API token of that user. */
  async resetPassword(actor: AuthUser, id: number, password: string): Promise<void> {
    const hash = await AuthService.hashNewPassword(password, (await this.get(actor, id)).username);
    await this.writer.write(async (m) => {
      const res = await m.getRepository(User).update({ id, regionCode: actor.regionCode ?? '' }, { passwordHash: hash, passwordChangedAt: this.clock.now() });
      if (!res.affected) throw new NotFoundException();
      await this.endAccess(m, id);
      await this.audit.record(actor, 'user.resetPassword', 'user', String(id));
    });
  }

  async setDisabled(actor: AuthUser, id: number, disabled: boolean): Promise<void> {
    if (actor.id === id && disabled) throw new InputInvalidException([{ field: 'disabled', message: '不能停用自己的账号' }]);
    await this.writer.write(async (m) => {
      const res = await m.getRepository(User).update({ id, regionCode: actor.regionCode ?? '' }, { disabled });
      if (!res.affected) throw new NotFoundException();
      if (disabled) await this.endAccess(m, id);
      await this.audit.record(actor, disabled ? 'user.disable' : 'user.enable', 'user', String(id));
    });
  }

  private async endAccess(m: import('typeorm').EntityManager, userId: number) {
    await m.getRepository(SessionRow).delete({ userId });
    await m.getRepository(ApiToken).delete({ userId });
  }
}
