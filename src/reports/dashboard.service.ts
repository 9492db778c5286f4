import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { DataSource } from 'typeorm';
import { CALLBACK_RESULT_LABELS, KIND_LABELS, KINDS, VERIFICATION_OUTCOME_LABELS, VERIFICATION_OUTCOMES } from '../cases/case.enums';
import { parseShanghaiDateTime, toDbDateTime } from '../common/time';
import { dashboardCounts, DashboardCases, NO_COUNTS, supervisionCounts, SupervisionCounts } from './reports.repository';
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
 * The on-time and satisfaction figures of a set of cases from their counts: the one statement of
 * both rules, for the dashboard and for each county of the roll-up alike. The on-time rate counts
 * the cases still open and overdue as late (they are in `late`); satisfaction is over the
 * callbacks that reached the reporter.
 */
export function supervisionFigures(x: SupervisionCounts) {
  const satisfied = x.callbacks.filter((r) => r.result === 'satisfied' || r.result === 'basicallySatisfied').reduce((a, r) => a + r.n, 0);
  const reached = x.callbacks.filter((r) => r.result !== 'unreachable').reduce((a, r) => a + r.n, 0);
  return {
    total: x.byKind.reduce((a, r) => a + r.n, 0),
    onTime: { measured: x.measured, late: x.late, onTime: x.measured - x.late, rate: x.measured ? Math.round(((x.measured - x.late) / x.measured) * 1000) / 10 : null, openOverdue: x.openOverdue },
    satisfaction: { satisfied, reached, rate: reached ? Math.round((satisfied / reached) * 1000) / 10 : null },
  };
}
export type SupervisionFigures = ReturnType<typeof supervisionFigures>;

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

  /** The dashboard's cases: received in the period, of the township or all, in the viewer's scope. */
  private cases(viewer: AuthUser, f: DashboardFilters): DashboardCases {
    const from = toDbDateTime(parseShanghaiDateTime(f.from)!);
    const to = toDbDateTime(new Date(parseShanghaiDateTime(f.to)!.getTime() + 86400_000));
    const scope = caseScopeSql(viewer);
    return { at: [from, to], days: { from: f.from, to: f.to }, townshipId: f.townshipId, scope, wholeCounties: scope.counties, today: shanghaiToday(this.clock.now()) };
  }

  /**
   * The on-time and satisfaction figures of each county the viewer reaches, by one grouped
   * computation (the roll-up across counties): each county's are what compute() gives for that
   * county alone, the same queries grouped by the case's county, under the same scope rule.
   */
  async figuresByCounty(viewer: AuthUser, f: DashboardFilters): Promise<Map<string, SupervisionFigures>> {
    const counts = await supervisionCounts(this.dataSource.manager, this.cases(viewer, f), 'county');
    return new Map((viewer.countyCodes ?? []).map((code) => [code, supervisionFigures(counts.get(code) ?? NO_COUNTS)]));
  }

  /** The figures over the cases `viewer` may see (the one scope rule: a recused user's figures leave those cases out). */
  async compute(viewer: AuthUser, f: DashboardFilters) {
    const counts = await dashboardCounts(this.dataSource.manager, this.cases(viewer, f));
    const { byTownship, byKind, byMonth, callbacks, outcomes, repeats, referrals } = counts;
    const { total, onTime, satisfaction } = supervisionFigures(counts);
    const spotChecks = await this.spots.totals(viewer, parseShanghaiDateTime(f.from)!, new Date(parseShanghaiDateTime(f.to)!.getTime() + 86400_000), f.townshipId);
    return {
      total,
      byTownship,
      byKind: KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k], n: byKind.find((x) => x.kind === k)?.n ?? 0 })),
      byMonth,
      onTime,
      satisfaction: { ...satisfaction, byResult: callbacks.map((x) => ({ label: CALLBACK_RESULT_LABELS[x.result as keyof typeof CALLBACK_RESULT_LABELS], n: x.n })) },
      outcomes: VERIFICATION_OUTCOMES.map((o) => ({ outcome: o, label: VERIFICATION_OUTCOME_LABELS[o], n: outcomes.find((x) => x.outcome === o)?.n ?? 0 })),
      repeats,
      spotChecks,
      referrals: referrals.map((r) => ({ label: `${REFERRAL_STATUS_LABELS[r.status as keyof typeof REFERRAL_STATUS_LABELS]}${r.disposal ? '·' + DISPOSAL_LABELS[r.disposal as keyof typeof DISPOSAL_LABELS] : ''}`, n: r.n })),
    };
  }
}
