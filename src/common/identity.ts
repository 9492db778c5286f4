import { shanghaiDate } from './time';
/**
 * Checks for the identifiers operators type during a call. Kept free of framework code so the
 * same rules serve forms, the API, imports and tests.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 check digit for the first 17 digits of a resident ID number. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

export type IdNumberProblem = 'length' | 'format' | 'region' | 'birthdate' | 'checksum';

/**
 * The province-level codes of GB/T 2260 (行政区划代码), the first two digits of every resident ID
 * number (GB 11643): 11-15 华北, 21-23 东北, 31-37 华东, 41-46 中南, 50-54 西南, 61-65 西北, 71
 * 台湾, 81 香港, 82 澳门 (residence permits for Hong Kong, Macao and Taiwan residents use 81, 82, 83;
 * 83 is not a code of GB/T 2260 and is not accepted here).
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Returns null for a valid 18-digit resident ID number, or what is wrong with it. */
export function idNumberProblem(raw: string): IdNumberProblem | null {
  const v = normaliseIdNumber(raw);
  if (v.length !== 18) return 'length';
  if (!/^[1-9]\d{16}[\dX]$/.test(v)) return 'format';
  if (!PROVINCE_CODES.has(v.slice(0, 2))) return 'region';
  const y = +v.slice(6, 10);
  const m = +v.slice(10, 12);
  const d = +v.slice(12, 14);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > Date.now()) {
    return 'birthdate';
  }
  if (idCheckDigit(v.slice(0, 17)) !== v[17]) return 'checksum';
  return null;
}

export function normaliseIdNumber(raw: string): string {
  return String(raw ?? '').trim().replace(/\s+/g, '').toUpperCase();
}

export const ID_NUMBER_MESSAGES: Record<IdNumberProblem, string> = {
  length: '身份证号码应为18位',
  format: '身份证号码格式不正确（前17位为数字，最后一位为数字或X）',
  region: '身份证号码前两位不是有效的省级行政区划代码，请核对后重新输入',
  birthdate: '身份证号码中的出生日期不正确',
  checksum: '身份证号码校验位不正确，请核对后重新输入',
};

/** Mainland mobile (1[3-9]xxxxxxxxx) or landline with area code (0xx-xxxxxxxx, optional extension). */
export function isMainlandPhone(raw: string): boolean {
  const v = normalisePhone(raw);
  return /^1[3-9]\d{9}$/.test(v) || /^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$/.test(v);
}

/** Drops spaces and a leading +86 / 86 that callers read out; keeps the dash of a landline. */
export function normalisePhone(raw: string): string {
  let v = String(raw ?? '').trim().replace(/[\s()（）]/g, '');
  v = v.replace(/^(\+?86)(?=1[3-9]\d{9}$)/, '');
  return v;
}

/**
 * Under 18 on the given day (Shanghai), by the birth date in an 18-digit ID number; false when
 * there is no readable ID number.
 */
export function isMinorOn(idNumber: string | null | undefined, on: Date): boolean {
  const v = normaliseIdNumber(idNumber ?? '');
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const eighteenth = `${Number(v.slice(6, 10)) + 18}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  return shanghaiDate(on) < eighteenth;
}
