/**
 * Case numbers as people type them. One function for every place a person types a case number
 * (the public status page, the repeat and chase links of the intake, the case search box), so
 * 「jz2026 000123」 read out on the phone and 「JZ2026000123」 typed without the dash find the same
 * case as the number the system issued.
 */

/**
 * What the system issues (formatCaseNo): prefix and year, the county's six-digit code, a sequence
 * of at least six digits (JZ2026-141099-000123); numbers issued before cases carried their county
 * have no county part (JZ2026-000123) and stay valid.
 */
export const CASE_NO_PATTERN = /^[A-Z]{2}\d{4}-(\d{6}-)?\d{6,9}$/;

/** Longest input looked at: a number with spaces between every character still fits. */
const MAX_TYPED_LENGTH = 60;

/**
 * The case number in the form the system issues (JZ2026-141099-000123), or null when the input
 * cannot be one. Full-width letters, digits and dashes (a Chinese keyboard) are read as ASCII
 * (NFKC); letter case, spaces anywhere (also full-width and no-break ones) and missing or doubled
 * dashes do not matter: two letters, the four-digit year, the county code, then the sequence.
 * Typed without dashes the two forms differ by length (10 to 13 digits without a county, 16 to 19
 * with one), so 「jz2026 141099 000123」 and 「JZ2026000123」 are both read.
 */
export function normaliseCaseNo(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_TYPED_LENGTH) return null;
  const v = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/[‐‑‒–—―−－_]/g, '-')
    .replace(/-+/g, '-');
  const m = /^([A-Z]{2})-?(\d{4})-?(?:(\d{6})-)?(\d+)$/.exec(v);
  if (!m) return null;
  const [, prefix, year, county, rest] = m;
  let no: string;
  if (county) no = `${prefix}${year}-${county}-${rest}`;
  else if (rest.length >= 12) no = `${prefix}${year}-${rest.slice(0, 6)}-${rest.slice(6)}`;
  else no = `${prefix}${year}-${rest}`;
  return CASE_NO_PATTERN.test(no) ? no : null;
}
