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

/** A person's name in public output: the surname kept, the rest starred (孙桂兰 → 孙**). */
export function maskName(value: string | null | undefined): string {
  if (!value) return '';
  const chars = Array.from(value.trim());
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

const FULL_WIDTH_DIGIT = /[０-９Ｘｘ]/g;
const ID_NUMBER = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])|(?<![0-9])[0-9]{15}(?![0-9])/g;
const BANK_CARD = /(?<![0-9])(?:[0-9][ -]?){15,18}[0-9](?![0-9])/g;
const MOBILE = /(?<![0-9])(1[3-9][0-9])[ -]?[0-9]{4}[ -]?([0-9]{4})(?![0-9])/g;
const LANDLINE = /(?<![0-9])(0[0-9]{2,3})[- ]?([0-9]{3,4})([0-9]{4})(?![0-9])/g;

/**
 * Free text on its way to the public (the reply to the reporter, a reason for not accepting):
 * ID numbers, bank card numbers and phone numbers masked by their shape, whatever was typed and
 * however (full-width digits too), and the given names (minors, the people of the case) starred.
 */
export function maskPersonalText(text: string | null | undefined, names: (string | null | undefined)[] = [], opts: { whole?: boolean } = {}): string {
  if (!text) return '';
  let out = text.replace(FULL_WIDTH_DIGIT, (ch) => (ch === 'Ｘ' || ch === 'ｘ' ? 'X' : String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 0x30)));
  // whole: every digit starred, for a reader who must not learn even the last four (a withheld complainant's)
  const all = (m: string) => m.replace(/[0-9Xx]/g, '*');
  out = out.replace(ID_NUMBER, (m) => (opts.whole ? all(m) : maskIdNumber(m)));
  out = out.replace(BANK_CARD, (m) => (opts.whole ? all(m) : maskBankCard(m)));
  out = out.replace(MOBILE, (m, head: string, tail: string) => (opts.whole ? all(m) : `${head}****${tail}`));
  out = out.replace(LANDLINE, (m, area: string, mid: string, tail: string) => (opts.whole ? all(m) : `${area}-${'*'.repeat(mid.length)}${tail}`));
  const distinct = [...new Set(names.map((n) => (n ?? '').trim()).filter((n) => Array.from(n).length >= 2))].sort((a, b) => b.length - a.length);
  for (const n of distinct) out = out.split(n).join(maskName(n));
  return out;
}
