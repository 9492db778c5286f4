/**
 * Case numbers as people type them. One function for every place a person types a case number
 * (the public status page, the repeat and chase links of the intake, the case search box), so
 * 「jz2026 000123」 read out on the phone and 「JZ2026000123」 typed without the dash find the same
 * case as the number the system issued.
 */

/** What the system issues (formatCaseNo): prefix, year, dash, a sequence of at least six digits. */
export const CASE_NO_PATTERN = /^[A-Z]{2}\d{4}-\d{6,9}$/;

/** Longest input looked at: a number with spaces between every character still fits. */
const MAX_TYPED_LENGTH = 40;

/**
 * The case number in the form the system issues (JZ2026-000123), or null when the input cannot be
 * one. Full-width letters, digits and dashes (a Chinese keyboard) are read as ASCII (NFKC); letter
 * case, spaces anywhere (also full-width and no-break ones) and a missing or doubled dash do not
 * matter (JZ-2026-000123 too): two letters, the four-digit year, then the sequence.
 */
export function normaliseCaseNo(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_TYPED_LENGTH) return null;
  const v = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/[‐‑‒–—―−－_]/g, '-')
    .replace(/-+/g, '-');
  const m = /^([A-Z]{2})-?(\d{4})-?(\d{6,9})$/.exec(v);
  if (!m) return null;
  const no = `${m[1]}${m[2]}-${m[3]}`;
  return CASE_NO_PATTERN.test(no) ? no : null;
}
