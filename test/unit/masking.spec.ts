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
