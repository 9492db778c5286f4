import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { caseScopeSql } from '../cases/case-access';
import { DataSource } from 'typeorm';
import { CALLBACK_RESULT_LABELS, KIND_LABELS, KINDS, VERIFICATION_OUTCOME_LABELS, VERIFICATION_OUTCOMES } from '../cases/case.enums';
import { parseShanghaiDateTime, SQLITE_SHANGHAI_MODIFIER, toDbDateTime } from '../common/time';
import { DISPOSAL_LABELS, REFERRAL_STATUS_LABELS } from '../referrals/referral.labels';
import { shanghaiToday } from '../calendar/work-calendar';
import { Clock } from '../common/clock';
import { SpotChecksService } from '../spotchecks/spotchecks.service';
import { ON_TIME_STAGES } from '../deadlines/stages';

const ON_TIME_SQL = ON_TIME_STAGES.map((x) => `'${x}'`).join(', ');

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
    const scope = caseScopeSql(viewer);
    const where = `c.receivedAt >= ? AND c.receivedAt < ?${f.townshipId ? ' AND c.townshipId = ?' : ''} AND ${scope.sql}`;
    const p = [from, to, ...(f.townshipId ? [f.townshipId] : []), ...scope.params];
    const q = <T>(sql: string) => this.dataSource.query(sql, p) as Promise<T[]>;
    // Overdue by the date itself, not by the scan's last mark: the figure is right between scans.
    const today = shanghaiToday(this.clock.now());
    const openOverdue = `(d.status = 'open' AND d.dueDate < '${today}')`;

    const [byTownship, byKind, byMonth, timeliness, callbacks, outcomes, repeats, referrals] = await Promise.all([
      q<{ name: string; n: number }>(`SELECT COALESCE(t.name, '未定') AS name, COUNT(*) AS n FROM cases c LEFT JOIN townships t ON t.id = c.townshipId WHERE ${where} GROUP BY c.townshipId ORDER BY n DESC`),
      q<{ kind: string; n: number }>(`SELECT c.kind, COUNT(*) AS n FROM cases c WHERE ${where} GROUP BY c.kind`),
      q<{ month: string; n: number }>(`SELECT strftime('%Y-%m', datetime(c.receivedAt, '${SQLITE_SHANGHAI_MODIFIER}')) AS month, COUNT(*) AS n FROM cases c WHERE ${where} GROUP BY month ORDER BY month`),
      // Clocks of these cases (the county's before the hand-over and the township's): met on
      // time, met late, or still open and overdue.
      q<{ state: string; n: number }>(
        `SELECT CASE WHEN d.status = 'met' AND d.late = TRUE THEN 'late' WHEN d.status = 'met' THEN 'onTime' WHEN ${openOverdue} THEN 'openOverdue' ELSE 'other' END AS state,
                COUNT(DISTINCT c.id) AS n
         FROM cases c JOIN case_deadlines d ON d.caseId = c.id AND d.stage IN (${ON_TIME_SQL}) AND d.referralId IS NULL
         WHERE ${where} GROUP BY state`,
      ),
      q<{ result: string; n: number }>(`SELECT c.callbackResult AS result, COUNT(*) AS n FROM cases c WHERE ${where} AND c.callbackResult IS NOT NULL GROUP BY c.callbackResult`),
      q<{ outcome: string; n: number }>(`SELECT c.verificationOutcome AS outcome, COUNT(*) AS n FROM cases c WHERE ${where} AND c.verificationOutcome IS NOT NULL GROUP BY c.verificationOutcome`),
      q<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${where} AND c.repeatOfId IS NOT NULL`),
      q<{ status: string; disposal: string | null; n: number }>(
        `SELECT r.status, r.disposal, COUNT(DISTINCT r.id) AS n FROM referrals r JOIN referral_cases rc ON rc.referralId = r.id JOIN cases c ON c.id = rc.caseId WHERE ${where} GROUP BY r.status, r.disposal`,
      ),
    ]);
    const count = (state: string) => timeliness.find((x) => x.state === state)?.n ?? 0;
    // A case is late if any of its county or township stages was late or is overdue now (a case
    // left unaccepted or unassigned is late too); on time once the
    // township has finished (its verification or redo clock met, none still open) and none was
    // late. Cases still being worked on and not yet overdue are not measured either way.
    const township = `d.caseId = c.id AND d.stage IN (${ON_TIME_SQL}) AND d.referralId IS NULL`;
    const isLate = `EXISTS (SELECT 1 FROM case_deadlines d WHERE ${township} AND ((d.status = 'met' AND d.late = TRUE) OR ${openOverdue}))`;
    const finished = `(EXISTS (SELECT 1 FROM case_deadlines d WHERE ${township} AND d.stage IN ('verify', 'redo') AND d.status = 'met')
       AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE ${township} AND d.status = 'open'))`;
    const lateCases = Number((await q<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${where} AND ${isLate}`))[0].n);
    const measured = Number((await q<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${where} AND (${isLate} OR ${finished})`))[0].n);
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
      repeats: repeats[0]?.n ?? 0,
      spotChecks,
      referrals: referrals.map((r) => ({ label: `${REFERRAL_STATUS_LABELS[r.status as keyof typeof REFERRAL_STATUS_LABELS]}${r.disposal ? '·' + DISPOSAL_LABELS[r.disposal as keyof typeof DISPOSAL_LABELS] : ''}`, n: r.n })),
    };
  }
}
