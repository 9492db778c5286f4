import { idCheckDigit, idNumberProblem, isMainlandPhone, normalisePhone } from '../../src/common/identity';

describe('resident ID numbers', () => {
  it('accepts a number whose check digit is right', () => {
    // GB 11643 example: 11010519491231002X
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
  });

  it('refuses a wrong check digit', () => {
    expect(idNumberProblem('110105194912310021')).toBe('checksum');
  });

  it('refuses wrong length, letters and impossible birth dates', () => {
    expect(idNumberProblem('1101051949123100')).toBe('length');
    expect(idNumberProblem('11010519491231A02X')).toBe('format');
    const first17 = '11010519490231002';
    expect(idNumberProblem(first17 + idCheckDigit(first17))).toBe('birthdate');
  });
});

describe('mainland phone numbers', () => {
  it.each(['13812345678', '+86 138 1234 5678', '0358-3221234', '03583221234', '010-62345678-123'])('accepts %s', (p) => {
    expect(isMainlandPhone(p)).toBe(true);
  });

  it.each(['12345678901', '1381234567', '138123456789', '3221234', '0358-0221234', 'abc'])('refuses %s', (p) => {
    expect(isMainlandPhone(p)).toBe(false);
  });

  it('drops the country code and spaces callers read out', () => {
    expect(normalisePhone('+86 138 1234 5678')).toBe('13812345678');
  });
});
