import { createHmac, randomInt, timingSafeEqual } from 'crypto';

/** A 6-digit code, easy to read out on the phone. */
export function newQueryCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Keyed with the server secret and the case number: a copied database alone cannot test codes. */
export function hashQueryCode(secret: string, caseNo: string, code: string): string {
  return createHmac('sha256', secret).update(`${caseNo}:${code}`).digest('hex');
}

export function queryCodeMatches(secret: string, caseNo: string, code: string, hash: string | null): boolean {
  if (!hash || !/^\d{6}$/.test(code)) return false;
  const a = Buffer.from(hashQueryCode(secret, caseNo, code), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
