import { maskBankCard, maskIdNumber, maskPhone } from '../../src/common/masking';

describe('masking (DOMAIN §7)', () => {
  it('shows an ID number as its first 4 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('shows a mobile number as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps a landline area code and last four digits', () => {
    expect(maskPhone('0358-3221234')).toBe('0358-***1234');
  });

  it('shows a bank card as its last four digits', () => {
    expect(maskBankCard('6222 0212 3456 7890 123')).toBe('**** **** **** 0123');
  });

  it('is idempotent', () => {
    for (const v of ['11010519491231002X', '13812345678', '0358-3221234']) {
      const once = v.length === 18 ? maskIdNumber(v) : maskPhone(v);
      const twice = v.length === 18 ? maskIdNumber(once) : maskPhone(once);
      expect(twice).toBe(once);
    }
  });
});

describe('masking properties, over 2,000 generated values each', () => {
  // deterministic generator, so a failure can be replayed
  let seed = 20261121;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const visibleDigits = (s: string) => (s.match(/\d/g) ?? []).length;

  it('never shows more than 4 + 4 characters of an ID number, and only from its ends', () => {
    for (let i = 0; i < 2000; i++) {
      const id = digits(17) + (rand() < 0.1 ? 'X' : digits(1));
      const m = maskIdNumber(id);
      expect(m).toHaveLength(18);
      expect(m.replace(/\*/g, '')).toBe(id.slice(0, 4) + id.slice(-4));
      expect(m.slice(4, 14)).toBe('*'.repeat(10));
      expect(maskIdNumber(m)).toBe(m);
    }
  });

  it('never shows more than 7 digits of a mobile number, and none of its middle four', () => {
    for (let i = 0; i < 2000; i++) {
      const phone = '1' + String(3 + Math.floor(rand() * 7)) + digits(9);
      const m = maskPhone(phone);
      expect(visibleDigits(m)).toBe(7);
      expect(m.slice(3, 7)).toBe('****');
      expect(maskPhone(m)).toBe(m);
    }
  });

  it('never shows more than the area code and four digits of a landline', () => {
    for (let i = 0; i < 2000; i++) {
      const area = '0' + digits(2 + Math.floor(rand() * 2));
      const phone = `${area}-${2 + Math.floor(rand() * 8)}${digits(6 + Math.floor(rand() * 2))}`;
      const m = maskPhone(phone);
      expect(visibleDigits(m)).toBe(area.length + 4);
      expect(maskPhone(m)).toBe(m);
    }
  });

  it('shows short or odd values as stars only', () => {
    for (const v of ['1', '12', '1234', 'abcd']) {
      expect(maskPhone(v)).toBe('*'.repeat(v.length));
      expect(maskIdNumber(v)).toBe('*'.repeat(v.length));
    }
  });
});
