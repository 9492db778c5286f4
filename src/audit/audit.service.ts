import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { AuditEvent } from './entities/audit-event.entity';

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
  ) {}

  record(
    actor: Pick<AuthUser, 'id' | 'displayName'> | null,
    action: string,
    targetType: string,
    targetId: string | null,
    detail: Record<string, unknown> | null = null,
  ): Promise<void> {
    return this.writer.write(async (m) => {
      await m.getRepository(AuditEvent).save({
        at: this.clock.now(),
        actorId: actor?.id ?? null,
        actorName: actor?.displayName ?? '（未登录）',
        action,
        targetType,
        targetId,
        detail,
      });
    });
  }

  recent(limit = 200): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({ order: { id: 'DESC' }, take: limit });
  }
}
