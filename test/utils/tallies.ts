import { fromDbDateTime, shanghaiDate } from '../../src/common/time';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** The tallies' rule, stated here on its own: each case counted once under its county, day of receipt in Shanghai and what the figures read of it. */
export async function talliesFromCases(query: Query, by: 'day' | 'month' = 'day'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of await query('SELECT countyCode, receivedAt, kind, callbackResult, clocksLate, clocksMet, clocksOpen, clocksOpenDue FROM cases')) {
    const key = [
      c.countyCode,
      shanghaiDate(fromDbDateTime(c.receivedAt as string | Date)).slice(0, by === 'day' ? 10 : 7),
      c.kind,
      c.callbackResult ?? '',
      !!c.clocksLate,
      !!c.clocksMet && !c.clocksOpen,
      c.clocksOpenDue ?? '9999-12-31',
    ].join('|');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/**
 * What the database holds by day (the day tallies) or by month (the month tallies), each with the
 * changes not yet folded in, by key, none at 0.
 */
export async function storedTallies(query: Query, by: 'day' | 'month' = 'day'): Promise<Map<string, number>> {
  const key = 'countyCode, period, kind, callbackResult, clocksLate, clocksFinished, clocksOpenDue';
  const rest = 'countyCode, kind, callbackResult, clocksLate, clocksFinished, clocksOpenDue, n';
  const tallies = by === 'day' ? `SELECT day AS period, ${rest} FROM case_tallies` : `SELECT month AS period, ${rest} FROM case_month_tallies`;
  const changes = `SELECT substr(day, 1, ${by === 'day' ? 10 : 7}) AS period, ${rest} FROM case_tally_changes`;
  const rows = await query(`SELECT ${key}, SUM(n) AS n FROM (${tallies} UNION ALL ${changes}) x GROUP BY ${key}`);
  return new Map(rows.filter((r) => Number(r.n) !== 0).map((r) => [[r.countyCode, r.period, r.kind, r.callbackResult, !!r.clocksLate, !!r.clocksFinished, r.clocksOpenDue].join('|'), Number(r.n)]));
}
