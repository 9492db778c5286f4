import { hanRuns } from '../cases/search-text';

/** Chinese text similarity for repeat detection: shared two-character grams of the Han text. */
export function bigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of hanRuns(text)) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length - 1; i++) out.add(chars[i] + chars[i + 1]);
  }
  return out;
}

/**
 * Overlap coefficient |A∩B| / min(|A|, |B|): a short call about the same matter as a long letter
 * still scores high, which Jaccard would not. Pairs sharing fewer than `minShared` grams score 0.
 */
export function similarity(a: Set<string>, b: Set<string>, minShared = 6): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) shared++;
  return shared < minShared ? 0 : shared / small.size;
}

/** Grams common to most reports about assistance: they say nothing about which matter it is. */
export const STOP_GRAMS = new Set(['反映', '来电', '电人', '低保', '救助', '申请', '困难', '家庭', '情况', '问题', '请求', '村里', '群众']);
