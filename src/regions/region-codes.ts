/**
 * GB/T 2260 division codes (行政区划代码) as Duban uses them: six digits for a province (XX0000),
 * a prefecture (XXYY00) or a county (XXYYZZ); a township's code is its county's followed by three
 * more digits (141099100 is in 141099).
 */
export const REGION_CODE = /^[1-9]\d{5}$/;

export function isRegionCode(v: unknown): v is string {
  return typeof v === 'string' && REGION_CODE.test(v);
}

/** The county a township's code (nine or twelve digits) lies in, or null when it does not start with one. */
export function countyOfTownshipCode(code: string): string | null {
  return /^\d{9,12}$/.test(code) && isRegionCode(code.slice(0, 6)) && !code.slice(0, 6).endsWith('00') ? code.slice(0, 6) : null;
}
