/**
 * Characters that do not tell two written names apart: spaces (ASCII, no-break and full-width), and the
 * dots between the parts of a transliterated name (阿依古丽·买买提, typed as ·, •, ・, . or ．).
 * An operator typing fast writes 李 晓梅 for 李晓梅; recusal and the close-relative register must
 * not depend on it.
 */
const NAME_NOISE = [' ', '\u00a0', '\u3000', '\t', '·', '•', '・', '.', '．'];

/** A name as compared for matching: without the characters of NAME_NOISE. */
export function nameKey(name: string | null | undefined): string {
  if (!name) return '';
  let k = name;
  for (const ch of NAME_NOISE) k = k.split(ch).join('');
  return k;
}

/** nameKey in SQL, for a column (used to fill key columns in migrations). */
export function nameKeySql(column: string): string {
  return NAME_NOISE.reduce((sql, ch) => `REPLACE(${sql}, '${ch}', '')`, column);
}
