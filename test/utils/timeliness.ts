import { ON_TIME_STAGES } from '../../src/deadlines/stages';
import { CASE_CLOCK_COLUMNS } from '../../src/database/migrations/1765800000000-CaseTimeliness';

export interface Clock {
  caseId: number;
  stage: string;
  referralId: number | null;
  status: string;
  late: boolean | number | null;
  dueDate: string | null;
}
export type Summary = { clocksLate: boolean; clocksMet: boolean; clocksOpen: boolean; clocksOpenDue: string | null };

/** The rule, stated here on its own: what a case's clocks say about its timeliness (the columns CaseTimeliness keeps). */
export function expectedTimeliness(clocks: Clock[]): Summary {
  const counted = clocks.filter((d) => d.referralId === null && (ON_TIME_STAGES as readonly string[]).includes(d.stage));
  const open = counted.filter((d) => d.status === 'open');
  const dues = open.map((d) => d.dueDate).filter((x): x is string => !!x).sort();
  return {
    clocksLate: counted.some((d) => d.status === 'met' && !!d.late),
    clocksMet: counted.some((d) => d.status === 'met' && (d.stage === 'verify' || d.stage === 'redo')),
    clocksOpen: open.length > 0,
    clocksOpenDue: dues[0] ?? null,
  };
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Every case's columns and what its clocks say, side by side (id order), for toEqual. */
export async function timelinessOfAll(query: Query): Promise<{ stored: (Summary & { id: number })[]; fromClocks: (Summary & { id: number })[] }> {
  const clocks = (await query('SELECT caseId, stage, referralId, status, late, dueDate FROM case_deadlines')) as Clock[];
  const byCase = new Map<number, Clock[]>();
  for (const d of clocks) byCase.set(Number(d.caseId), [...(byCase.get(Number(d.caseId)) ?? []), d]);
  const rows = (await query(`SELECT c.id, ${CASE_CLOCK_COLUMNS.map((c) => `c.${c}`).join(', ')} FROM cases c ORDER BY c.id`)) as Record<string, unknown>[];
  return {
    stored: rows.map((r) => ({ id: Number(r.id), clocksLate: !!r.clocksLate, clocksMet: !!r.clocksMet, clocksOpen: !!r.clocksOpen, clocksOpenDue: (r.clocksOpenDue as string | null) ?? null })),
    fromClocks: rows.map((r) => ({ id: Number(r.id), ...expectedTimeliness(byCase.get(Number(r.id)) ?? []) })),
  };
}
