/**
 * All dates shown to users and all calendar reasoning are in Asia/Shanghai (UTC+8, no daylight
 * saving since 1991), whatever the server's own time zone is.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function shifted(date: Date): Date {
  return new Date(date.getTime() + OFFSET_MS);
}

/** 2026-03-05 14:07 */
export function formatDateTime(date: Date | string | null | undefined): string {
  if (!date) return '';
  const d = shifted(new Date(date));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 2026-03-05 */
export function formatDate(date: Date | string | null | undefined): string {
  if (!date) return '';
  return formatDateTime(date).slice(0, 10);
}

/** Value for <input type="datetime-local">: 2026-03-05T14:07 */
export function toLocalInput(date: Date): string {
  return formatDateTime(date).replace(' ', 'T');
}

export function shanghaiYear(date: Date): number {
  return shifted(date).getUTCFullYear();
}

/**
 * Parses "2026-03-05T14:07", "2026-03-05 14:07", "2026-03-05" as Shanghai local time, or a full
 * ISO 8601 string with an offset. Returns null for anything else or an impossible date.
 */
export function parseShanghaiDateTime(value: string): Date | null {
  const v = value.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
    const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    const check = new Date(utc);
    if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d) return null;
    if (+h > 23 || +mi > 59 || +s > 59) return null;
    return new Date(utc - OFFSET_MS);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Start of the given Shanghai calendar day (YYYY-MM-DD) as an instant. */
export function startOfShanghaiDay(ymd: string): Date | null {
  return parseShanghaiDateTime(ymd);
}

/** The SQLite/TypeORM datetime text form, in UTC, used for raw comparisons: 2026-03-05 06:07:00.000 */
export function toDbDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The Shanghai calendar day of an instant (or of a TypeORM/SQLite UTC text): 2026-03-05 */
export function shanghaiDate(date: Date | string): string {
  return shifted(typeof date === 'string' ? fromDbDateTime(date) : date).toISOString().slice(0, 10);
}

/** The Shanghai calendar month of an instant: 2026-03 */
export function shanghaiMonth(date: Date | string): string {
  return shanghaiDate(date).slice(0, 7);
}

/** The Shanghai month before the one `date` falls in: 2026-02 for any day of March 2026. */
export function previousShanghaiMonth(date: Date): string {
  const [y, m] = shanghaiMonth(date).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

/** Day of the month (1-31) in Shanghai. */
export function shanghaiDayOfMonth(date: Date): number {
  return shifted(date).getUTCDate();
}

/** A Shanghai calendar month (YYYY-MM) as [start, end) instants; null if not a month. */
export function shanghaiMonthRange(month: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || +m[2] < 1 || +m[2] > 12) return null;
  return { from: new Date(Date.UTC(+m[1], +m[2] - 1, 1) - OFFSET_MS), to: new Date(Date.UTC(+m[1], +m[2], 1) - OFFSET_MS) };
}

/** SQLite's UTC text ('2026-03-05 06:07:00.000', also with T or Z) as an instant. */
export function fromDbDateTime(text: string | Date): Date {
  // PostgreSQL's driver already gives instants as Dates; SQLite gives TypeORM's UTC text.
  if (text instanceof Date) return text;
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  return new Date(/Z$|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : iso + 'Z');
}

/** An SQL modifier for SQLite's datetime(): shifts a stored UTC time to Shanghai wall time. */
export const SQLITE_SHANGHAI_MODIFIER = '+8 hours';
