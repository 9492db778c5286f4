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
