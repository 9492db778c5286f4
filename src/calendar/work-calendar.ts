/**
 * Working-day arithmetic on the official calendar (DOMAIN §6). Pure: built from the calendar
 * rows, no database, no clock. Dates are Shanghai calendar days written YYYY-MM-DD.
 *
 * - A working day is Monday to Friday unless the notice makes it a rest day, or a weekend day the
 *   notice makes a working day (调休补班).
 * - Counting starts the day after the start date.
 * - A calendar-day limit ending on a rest day moves to the next working day.
 * - Any day looked at in a year with no calendar stops the computation (CalendarMissingError):
 *   it is never computed on weekends alone.
 */
import { shanghaiDate } from '../common/time';

export type DayType = 'off' | 'workday';
export type Unit = 'workday' | 'day';

export class CalendarMissingError extends Error {
  constructor(public readonly year: number) {
    super(`no holiday calendar for ${year}`);
  }
}

const DAY_MS = 86400_000;

/** Days since 1970-01-01 for YYYY-MM-DD (null if not a real date). */
export function dayNumber(ymd: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const d = new Date(t);
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
  return t / DAY_MS;
}

export function ymdOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Today in Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date): string {
  return shanghaiDate(now);
}

/** Expands a data file's `off` entry: one day, or first and last day inclusive. */
export function expandRange(days: string[]): string[] {
  if (days.length !== 2) return days;
  const a = dayNumber(days[0]);
  const b = dayNumber(days[1]);
  if (a === null || b === null || b < a) return days;
  const out: string[] = [];
  for (let d = a; d <= b; d++) out.push(ymdOf(d));
  return out;
}

export class WorkCalendar {
  private readonly years: Set<number>;
  private readonly overrides = new Map<number, DayType>();

  constructor(years: Iterable<number>, days: Iterable<{ date: string; type: DayType }>) {
    this.years = new Set(years);
    for (const d of days) {
      const n = dayNumber(d.date);
      if (n !== null) this.overrides.set(n, d.type);
    }
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  get coveredYears(): number[] {
    return [...this.years].sort();
  }

  private check(day: number): void {
    const y = yearOf(day);
    if (!this.years.has(y)) throw new CalendarMissingError(y);
  }

  isWorkdayNum(day: number): boolean {
    this.check(day);
    const o = this.overrides.get(day);
    if (o) return o === 'workday';
    const wd = new Date(day * DAY_MS).getUTCDay();
    return wd !== 0 && wd !== 6;
  }

  isWorkday(ymd: string): boolean {
    const n = dayNumber(ymd);
    if (n === null) throw new RangeError(`not a date: ${ymd}`);
    return this.isWorkdayNum(n);
  }

  /** The last day of a limit of `n` units counted from the day after `from`. */
  due(from: string, n: number, unit: Unit): string {
    const start = dayNumber(from);
    if (start === null) throw new RangeError(`not a date: ${from}`);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a whole number of days: ${n}`);
    let day = start;
    if (unit === 'workday') {
      let left = n;
      while (left > 0) {
        day++;
        if (this.isWorkdayNum(day)) left--;
      }
      return ymdOf(day);
    }
    day = start + n;
    while (!this.isWorkdayNum(day)) day++;
    return ymdOf(day);
  }

  /**
   * How long past its last day `due` a clock is on `today`, in the clock's own unit: working days
   * in (due, today] for a working-day limit, calendar days for a calendar-day one; 0 when not past.
   */
  overdueBy(due: string, today: string, unit: Unit): number {
    if (today <= due) return 0;
    if (unit === 'workday') return this.workdaysBetween(due, today);
    return dayNumber(today)! - dayNumber(due)!;
  }

  /** Working days in (from, to]: what is left of a limit on `from` when it ends on `to`. */
  workdaysBetween(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (a === null || b === null) throw new RangeError('not a date');
    let count = 0;
    for (let d = a + 1; d <= b; d++) if (this.isWorkdayNum(d)) count++;
    return count;
  }
}
