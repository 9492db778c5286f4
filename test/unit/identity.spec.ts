import { ID_NUMBER_MESSAGES, idCheckDigit, idNumberProblem, isMainlandPhone, normalisePhone, PROVINCE_CODES } from '../../src/common/identity';

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

describe('the province code of an ID number (GB/T 2260)', () => {
  const withCheck = (first17: string) => first17 + idCheckDigit(first17);

  it('refuses a number whose first two digits are no province-level code, with its own message', () => {
    expect(idNumberProblem('990105194912310023')).toBe('region');
    for (const code of ['10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '83', '90']) {
      expect([code, idNumberProblem(withCheck(`${code}010519491231002`))]).toEqual([code, 'region']);
    }
    expect(ID_NUMBER_MESSAGES.region).toBe('身份证号码前两位不是有效的省级行政区划代码，请核对后重新输入');
  });

  it('accepts every province-level code', () => {
    const codes = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'];
    expect([...PROVINCE_CODES].sort()).toEqual(codes);
    for (const code of codes) expect([code, idNumberProblem(withCheck(`${code}010519491231002`))]).toEqual([code, null]);
  });

  it('checks the code before the birth date and the check digit', () => {
    expect(idNumberProblem('99010519490231002X')).toBe('region');
    expect(idNumberProblem('990105194912310021')).toBe('region');
  });
});
