/**
 * DOMAIN §7: the one masking rule for every output (lists, exports, public pages).
 * ID 1101**********1234, phone 138****5678, bank card **** **** **** 1234.
 * Idempotent: masking a masked value gives the same value.
 */
export function maskIdNumber(value: string | null | undefined): string {
  if (!value) return '';
  const v = value.trim();
  if (v.length <= 8) return '*'.repeat(v.length);
  return v.slice(0, 4) + '*'.repeat(v.length - 8) + v.slice(-4);
}

export function maskPhone(value: string | null | undefined): string {
  if (!value) return '';
  const v = value.trim();
  const mobile = /^(1\d{2})[\d*]{4}(\d{4})$/.exec(v);
  if (mobile) return `${mobile[1]}****${mobile[2]}`;
  if (v.length <= 4) return '*'.repeat(v.length);
  // landline: keep the area code and the last four digits
  const dash = v.indexOf('-');
  const keepHead = dash > 0 && dash <= 4 ? dash + 1 : 0;
  const head = v.slice(0, keepHead);
  const tail = v.slice(-4);
  return head + v.slice(keepHead, -4).replace(/[^-]/g, '*') + tail;
}

export function maskBankCard(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/[^\d*]/g, '');
  return `**** **** **** ${digits.slice(-4)}`;
}
