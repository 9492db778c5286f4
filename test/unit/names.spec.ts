import { nameKey } from '../../src/common/names';

describe('names as matched for recusal and the close-relative register', () => {
  it('ignores spaces and the dots of transliterated names, nothing else', () => {
    expect(nameKey('李 晓梅')).toBe('李晓梅');
    expect(nameKey(' 李\u3000晓梅\t')).toBe('李晓梅');
    expect(nameKey('李\u00a0晓梅')).toBe('李晓梅');
    for (const dot of ['·', '•', '・', '.', '．']) expect(nameKey(`阿依古丽${dot}买买提`)).toBe('阿依古丽买买提');
    expect(nameKey('李晓')).not.toBe(nameKey('李晓梅'));
    expect(nameKey('王二小')).not.toBe(nameKey('王小二'));
    expect(nameKey(null)).toBe('');
  });
});
