/**
 * Chinese substring search on SQLite FTS5 without a Chinese tokenizer.
 *
 * Indexed text is turned into overlapping two-character tokens for runs of Han characters
 * (the last character of a run is also kept on its own), and lower-cased words for Latin
 * letters and digits. A query of n ≥ 2 Han characters becomes the phrase of its n-1 bigrams;
 * one Han character becomes a prefix query that matches any token starting with it. Together
 * this finds every substring of the content, which LIKE '%…%' would find only by reading every
 * row.
 */
/**
 * Han is the Unicode script, not a range of the BMP: characters of the extensions outside it
 * (𠮷 U+20BB7, common in names) and 〇 (U+3007, in dates written 二〇二六) are Han too. With a
 * BMP range they fell to the Latin branch, which took them and every Han character after them
 * as one "word", so nothing after them could be found. Latin words exclude Han for the same
 * reason (2026年 is a number and a Han run). The one definition: repeat detection uses it too.
 */
const HAN = /\p{Script=Han}/u;
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

/** The runs of Han characters of a text. */
export function hanRuns(text: string): string[] {
  return text.match(/\p{Script=Han}+/gu) ?? [];
}

function hanTokens(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
  out.push(chars[chars.length - 1]);
  return out;
}

/** The text stored in case_search.body. */
export function toSearchBody(text: string): string {
  const out: string[] = [];
  for (const m of text.matchAll(RUNS)) {
    if (m[1]) out.push(...hanTokens(m[1]));
    else out.push(m[2].toLowerCase());
  }
  return out.join(' ');
}

/**
 * FTS5 MATCH expression for a user's query, or null if it has nothing searchable. Several words
 * separated by spaces must all occur.
 */
export function toMatchQuery(query: string): string | null {
  const parts: string[] = [];
  for (const m of query.matchAll(RUNS)) {
    if (m[1]) {
      const chars = Array.from(m[1]);
      if (chars.length === 1) {
        parts.push(`"${chars[0]}"*`);
      } else {
        const grams: string[] = [];
        for (let i = 0; i < chars.length - 1; i++) grams.push(chars[i] + chars[i + 1]);
        parts.push(`"${grams.join(' ')}"`);
      }
    } else {
      // Latin letters and digits: whole-word prefix (e.g. a case or phone fragment at a word start).
      parts.push(`"${m[2].toLowerCase()}"*`);
    }
  }
  return parts.length ? parts.join(' AND ') : null;
}

/** tsvector positions stop at 16383; later tokens share the last one (phrases there may miss). */
const MAX_POSITION = 16383;

/**
 * PostgreSQL: the same tokens as toSearchBody, as a tsvector literal with their positions
 * ('低保':1 '保户':2 …), so a phrase is matched by position as FTS5 matches it. Tokens are letters
 * and digits only (RUNS), so they need no escaping; the literal is cast, never parsed by a text
 * search configuration, so no locale or dictionary changes a token.
 */
export function toTsVector(text: string): string {
  const tokens = toSearchBody(text).split(' ').filter(Boolean);
  return tokens.map((t, i) => `'${t}':${Math.min(i + 1, MAX_POSITION)}`).join(' ');
}

/** PostgreSQL: the tsquery for a user's query, matching exactly what toMatchQuery matches on SQLite. */
export function toTsQuery(query: string): string | null {
  const parts: string[] = [];
  for (const m of query.matchAll(RUNS)) {
    if (m[1]) {
      const chars = Array.from(m[1]);
      if (chars.length === 1) parts.push(`'${chars[0]}':*`);
      else {
        const grams: string[] = [];
        for (let i = 0; i < chars.length - 1; i++) grams.push(`'${chars[i] + chars[i + 1]}'`);
        parts.push(grams.length === 1 ? grams[0] : `(${grams.join(' <-> ')})`);
      }
    } else {
      parts.push(`'${m[2].toLowerCase()}':*`);
    }
  }
  return parts.length ? parts.join(' & ') : null;
}

export function hasHan(text: string): boolean {
  return HAN.test(text);
}
