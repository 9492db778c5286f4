import { ConflictException, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { CaseQueryService } from '../cases/case-query.service';
import { CaseHistoryWriter } from '../cases/history/case-history.writer';
import { countEntries } from '../cases/history/case-history.repository';
import { actorFields } from '../cases/history/history-entry';
import { Case } from '../cases/entities/case.entity';
import type { CaseStatus } from '../cases/case.enums';
import { Clock } from '../common/clock';
import { InputInvalidException, validateInput } from '../common/validation';
import { DbWriter } from '../database/db-writer.service';
import { NotificationsService } from '../notifications/notifications.service';
import { ChaseDto } from './dto/chase.dto';

/** While the case is in these states the township has it in hand: its staff hear of the chase. */
const WITH_TOWNSHIP: readonly CaseStatus[] = ['assigned', 'verifying'];

/**
 * 催办: a caller chasing an open case is logged on that case (a typed history entry: channel,
 * what they said, when), not as a new case. The case page counts them (催办 N 次). Every
 * supervisor is told (they decide on 督办), and the township's staff while the case is with them.
 */
@Injectable()
export class ChaseService {
  constructor(
    private readonly writer: DbWriter,
    private readonly query: CaseQueryService,
    private readonly notifications: NotificationsService,
    private readonly history: CaseHistoryWriter,
    private readonly clock: Clock,
  ) {}

  /** Records the chase; returns its number on the case (1 for the first). */
  async record(actor: AuthUser, caseNo: string, raw: unknown, strict: boolean): Promise<{ caseNo: string; count: number; townshipNotified: boolean }> {
    const { value, errors } = validateInput(ChaseDto, raw, strict);
    if (errors.length) throw new InputInvalidException(errors);
    const visible = await this.query.getByCaseNo(actor, caseNo);
    return this.writer.write(async (m) => {
      // read again in the transaction: it may have been closed meanwhile
      const c = await m.getRepository(Case).findOneByOrFail({ id: visible.id });
      if (c.status === 'closed') throw new ConflictException({ message: '该案件已办结，不能催办。反映人对结果有异议的，请登记为新的诉求并标记为重复件。' });
      const count = (await countEntries(m, c.id, 'note', 'chase')) + 1;
      const now = this.clock.now();
      const channel = value.channel ?? 'hotline';
      await this.history.append(m, {
        caseId: c.id, at: now, ...actorFields(actor), type: 'note', action: 'chase',
        fromStatus: c.status, toStatus: c.status, note: value.note ?? null, data: { channel, count },
      });
      // the notice names the case only, never the caller or what they said (it may name the reporter)
      const township = WITH_TOWNSHIP.includes(c.status) && c.assignedAt ? c.townshipId : null;
      await this.notifications.notify(m, await this.notifications.recipientIds(m, c.countyCode, township, true), c.id, 'chased', `chase:${c.id}:${count}`, `案件 ${c.caseNo} 反映人催办（第 ${count} 次），请关注办理进度`);
      return { caseNo: c.caseNo, count, townshipNotified: township !== null };
    });
  }
}
