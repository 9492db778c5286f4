import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { DataSource } from 'typeorm';
import { CALLBACK_RESULT_LABELS, KIND_LABELS, KINDS, VERIFICATION_OUTCOME_LABELS, VERIFICATION_OUTCOMES } from '../cases/case.enums';
import { parseShanghaiDateTime, toDbDateTime } from '../common/time';
import { sqlOf } from '../database/sql';
import { dashboardCounts } from './reports.repository';
import { DISPOSAL_LABELS, REFERRAL_STATUS_LABELS } from '../referrals/referral.labels';
import { shanghaiToday } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { SpotChecksService } from '../spotchecks/spotchecks.service';

export interface DashboardFilters {
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
  townshipId: number | null;
}

/**
 * Supervision figures (DOMAIN §8) for cases received in the period. The on-time rate counts the
 * cases still open and overdue as late, not only the closed ones.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly spots: SpotChecksService,
  ) {}

  /** The figures over the cases `viewer` may see (the one scope rule: a recused user's figures leave those cases out). */
  async compute(viewer: AuthUser, f: DashboardFilters) {
    const from = toDbDateTime(parseShanghaiDateTime(f.from)!);
    const to = toDbDateTime(new Date(parseShanghaiDateTime(f.to)!.getTime() + 86400_000));
    const { byTownship, byKind, byMonth, timeliness, callbacks, outcomes, repeats, referrals, late: lateCases, measured } = await dashboardCounts(sqlOf(this.dataSource.manager), {
      at: [from, to],
      townshipId: f.townshipId,
      scope: caseScopeSql(viewer),
      today: shanghaiToday(this.clock.now()),
    });
    const count = (state: string) => timeliness.find((x) => x.state === state)?.n ?? 0;
    const satisfied = callbacks.filter((x) => x.result === 'satisfied' || x.result === 'basicallySatisfied').reduce((a, x) => a + x.n, 0);
    const reached = callbacks.filter((x) => x.result !== 'unreachable').reduce((a, x) => a + x.n, 0);
    const total = byKind.reduce((a, x) => a + x.n, 0);
    const spotChecks = await this.spots.totals(viewer, parseShanghaiDateTime(f.from)!, new Date(parseShanghaiDateTime(f.to)!.getTime() + 86400_000), f.townshipId);
    return {
      total,
      byTownship,
      byKind: KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k], n: byKind.find((x) => x.kind === k)?.n ?? 0 })),
      byMonth,
      onTime: { measured, late: lateCases, onTime: measured - lateCases, rate: measured ? Math.round(((measured - lateCases) / measured) * 1000) / 10 : null, openOverdue: count('openOverdue') },
      satisfaction: { satisfied, reached, rate: reached ? Math.round((satisfied / reached) * 1000) / 10 : null, byResult: callbacks.map((x) => ({ label: CALLBACK_RESULT_LABELS[x.result as keyof typeof CALLBACK_RESULT_LABELS], n: x.n })) },
      outcomes: VERIFICATION_OUTCOMES.map((o) => ({ outcome: o, label: VERIFICATION_OUTCOME_LABELS[o], n: outcomes.find((x) => x.outcome === o)?.n ?? 0 })),
      repeats,
      spotChecks,
      referrals: referrals.map((r) => ({ label: `${REFERRAL_STATUS_LABELS[r.status as keyof typeof REFERRAL_STATUS_LABELS]}${r.disposal ? '·' + DISPOSAL_LABELS[r.disposal as keyof typeof DISPOSAL_LABELS] : ''}`, n: r.n })),
    };
  }
}
