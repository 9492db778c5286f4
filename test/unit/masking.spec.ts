import { maskBankCard, maskIdNumber, maskName, maskPersonalText, maskPhone } from '../../src/common/masking';

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

  describe('free text for the public', () => {
    it('masks ID numbers, phones and bank cards by their shape, wherever they are in the text', () => {
      const out = maskPersonalText('孩子身份证141099201503071234，电话13812345678或0351-1234567，卡号6222 0212 3456 7890 123。');
      expect(out).toBe('孩子身份证1410**********1234，电话138****5678或0351-***4567，卡号**** **** **** 0123。');
    });

    it('masks numbers typed with full-width digits or spaces', () => {
      expect(maskPersonalText('电话１３８１２３４５６７８，138 1234 5678')).toBe('电话138****5678，138****5678');
    });

    it('stars whole numbers, last four digits included, for a reader who may not know the person', () => {
      expect(maskPersonalText('电话13812345678，身份证14109920150307123X', [], { whole: true })).toBe('电话***********，身份证******************');
    });

    it('stars the given names, longest first, and leaves dates and short numbers alone', () => {
      expect(maskPersonalText('张小明和张小明的父亲张大于2026年11月20日来访，共3人', ['张小明', '张大'])).toBe('张**和张**的父亲张*于2026年11月20日来访，共3人');
      expect(maskName('欧阳小红')).toBe('欧***');
    });
  });
});
