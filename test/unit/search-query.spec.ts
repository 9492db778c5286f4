import { classifySearch } from '../../src/cases/search-query';

/** What the one search box of the case list takes the typed text to be. */
describe('classifySearch', () => {
  it.each(['JZ2026-000123', 'jz2026-000123', 'JZ2026 000123', 'jz2026000123', ' jz 2026 - 000123 ', 'ＪＺ２０２６－０００１２３', 'JZ-2026-000123'])(
    'reads %p as the case number JZ2026-000123',
    (typed) => {
      expect(classifySearch(typed)).toMatchObject({ kind: 'caseNo', caseNo: 'JZ2026-000123' });
    },
  );

  it('keeps a longer sequence number of a case', () => {
    expect(classifySearch('jz2027 1234567')).toMatchObject({ kind: 'caseNo', caseNo: 'JZ2027-1234567' });
  });

  it.each(['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '8613812345678', '１３８１２３４５６７８'])('reads %p as the mobile 13812345678', (typed) => {
    expect(classifySearch(typed)).toMatchObject({ kind: 'phone', phone: '13812345678', phones: ['13812345678'] });
  });

  it.each(['0358-3221234', '03583221234', '0358 322 1234', '(0358) 3221234', '０３５８－３２２１２３４'])('reads %p as a landline, looked up with and without the area code hyphen', (typed) => {
    const q = classifySearch(typed);
    expect(q?.kind).toBe('phone');
    expect(q?.phones).toEqual(expect.arrayContaining(['03583221234', '0358-3221234']));
  });

  it('reads a Beijing number with its three-digit area code', () => {
    expect(classifySearch('010 6552 8888')?.phones).toEqual(expect.arrayContaining(['01065528888', '010-65528888']));
  });

  it.each(['11010519491231002X', '11010519491231002x', '110105 19491231 002x', '１１０１０５１９４９１２３１００２ｘ'])('reads %p as the ID number 11010519491231002X', (typed) => {
    expect(classifySearch(typed)).toMatchObject({ kind: 'idNumber', idNumber: '11010519491231002X' });
  });

  it.each([
    ['李晓梅', '李晓梅'],
    ['李 晓梅', '李晓梅'],
    ['阿依古丽·买买提', '阿依古丽买买提'],
    ['王\u3000二小', '王二小'],
  ])('reads %p as a name (key %p) that is also looked for in the content', (typed, key) => {
    const q = classifySearch(typed);
    expect(q).toMatchObject({ kind: 'name', nameKey: key });
    expect(q?.match).toBeTruthy();
  });

  it('takes a two-character word as a possible name too: 低保 may be nobody, and is found in the content', () => {
    expect(classifySearch('低保')).toMatchObject({ kind: 'name', nameKey: '低保', match: '"低保"' });
  });

  it.each([
    ['辛苦费100元', 'digits'],
    ['低保 2026', 'a number'],
    ['1381234', 'too short for a phone'],
    ['138123456789', 'too long for a mobile'],
    ['1101051949123100', 'too short for an ID number'],
    ['JZ2026-00012', 'too short for a case number'],
    ['低', 'one character'],
    ['张三abc', 'Latin letters'],
  ])('reads %p (%s) as content words only', (typed) => {
    expect(classifySearch(typed)?.kind).toBe('text');
  });

  it.each(['', '   ', '!!!', '。，'])('has nothing to search for in %p', (typed) => {
    expect(classifySearch(typed)).toBeNull();
  });

  it('takes a name longer than twenty characters as content words', () => {
    expect(classifySearch('这是一段很长很长很长很长很长很长很长的反映内容')?.kind).toBe('text');
  });
});
