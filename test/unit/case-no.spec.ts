import { CASE_NO_PATTERN, normaliseCaseNo } from '../../src/common/case-no';
import { loadConfig } from '../../src/config/config';

describe('case numbers as people type them', () => {
  it.each([
    ['JZ2026-000123', 'JZ2026-000123'],
    ['jz2026-000123', 'JZ2026-000123'],
    [' JZ 2026 - 000 123 ', 'JZ2026-000123'],
    ['JZ2026000123', 'JZ2026-000123'],
    ['jz2026000123', 'JZ2026-000123'],
    ['ＪＺ２０２６－０００１２３', 'JZ2026-000123'],
    ['JZ2026—000123', 'JZ2026-000123'],
    ['JZ2026--000123', 'JZ2026-000123'],
    ['JZ\u30002026\u00a0000123', 'JZ2026-000123'],
    ['JZ2026-1234567', 'JZ2026-1234567'],
    // with the county's code
    ['JZ2026-141099-000123', 'JZ2026-141099-000123'],
    ['jz2026141099000123', 'JZ2026-141099-000123'],
    [' JZ 2026 141099 000 123 ', 'JZ2026-141099-000123'],
    ['ＪＺ２０２６－１４１０９９－０００１２３', 'JZ2026-141099-000123'],
    ['JZ-2026-141099--000123', 'JZ2026-141099-000123'],
    ['JZ2026-141099-1234567', 'JZ2026-141099-1234567'],
    ['JZ2026 1 4 1 0 9 9 0 0 0 1 2 3', 'JZ2026-141099-000123'],
  ])('reads %j as %s', (typed, no) => {
    expect(normaliseCaseNo(typed)).toBe(no);
    expect(CASE_NO_PATTERN.test(no)).toBe(true);
  });

  it.each(['', 'JZ26-000123', 'JZ2026-12345', 'J2026-000123', 'JZ2026--000123x', '2026-000123', 'JZ2026-0001234567', 'JZ2026-141099-12345', 'JZ2026-14109-000123', 'JZ202614109900012', 'x'.repeat(61)])('refuses %j', (typed) => {
    expect(normaliseCaseNo(typed)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(normaliseCaseNo(undefined)).toBeNull();
    expect(normaliseCaseNo(['JZ2026-000123'])).toBeNull();
  });
});

describe('PUBLIC_BASE_URL', () => {
  it('is optional, and kept without a trailing slash', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).publicBaseUrl).toBeNull();
    expect(loadConfig({ NODE_ENV: 'development', PUBLIC_BASE_URL: 'https://jiuzhu.example.gov.cn/' }).publicBaseUrl).toBe('https://jiuzhu.example.gov.cn');
  });

  it.each(['jiuzhu.example.gov.cn', 'ftp://example.gov.cn', 'https://example.gov.cn/?a=1', 'https://user:pw@example.gov.cn'])('refuses %s at start', (v) => {
    expect(() => loadConfig({ NODE_ENV: 'development', PUBLIC_BASE_URL: v })).toThrow(/PUBLIC_BASE_URL/);
  });
});
