import { fromDbDateTime, shanghaiDate } from '../../src/common/time';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** The tallies' rule, stated here on its own: each case counted once under its county, day of receipt in Shanghai and what the figures read of it. */
export async function talliesFromCases(query: Query): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of await query('SELECT countyCode, receivedAt, kind, callbackResult, clocksLate, clocksMet, clocksOpen, clocksOpenDue FROM cases')) {
    const key = [
      c.countyCode,
      shanghaiDate(fromDbDateTime(c.receivedAt as string | Date)),
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

/** What the database holds: the tallies with the changes not yet folded in, by key, none at 0. */
export async function storedTallies(query: Query): Promise<Map<string, number>> {
  const rows = await query(
    `SELECT countyCode, day, kind, callbackResult, clocksLate, clocksFinished, clocksOpenDue, SUM(n) AS n
     FROM (SELECT * FROM case_tallies UNION ALL SELECT * FROM case_tally_changes) x
     GROUP BY countyCode, day, kind, callbackResult, clocksLate, clocksFinished, clocksOpenDue`,
  );
  return new Map(rows.filter((r) => Number(r.n) !== 0).map((r) => [[r.countyCode, r.day, r.kind, r.callbackResult, !!r.clocksLate, !!r.clocksFinished, r.clocksOpenDue].join('|'), Number(r.n)]));
}
