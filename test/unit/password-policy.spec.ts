import * as fs from 'fs';
import * as path from 'path';
import { passwordLength, passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../../src/auth/password-policy';

/** ASVS 4.0.3 V2.1, as password-policy.ts cites it. */
describe('the password rule', () => {
  it('needs 12 characters and no more than 128 (V2.1.1, V2.1.2)', () => {
    expect(passwordProblem('tulip-harbor')).toBeNull();
    expect(passwordProblem('tulip-harbo')).toContain('至少12个字符');
    expect(passwordProblem('river stones sing quietly '.repeat(5).slice(0, PASSWORD_MAX))).toBeNull();
    expect(passwordProblem('a quiet river '.repeat(10).slice(0, PASSWORD_MAX + 1))).toContain('不超过128个字符');
  });

  it('counts a Chinese passphrase per character, not per byte or UTF-16 unit', () => {
    expect(passwordProblem('春眠不觉晓处处闻啼鸟夜来')).toBeNull(); // 12 characters
    expect(passwordProblem('春眠不觉晓处处闻啼鸟夜')).toContain('至少12个字符'); // 11
    expect(passwordLength('𠮷野家的牛肉饭真好吃啊！')).toBe(12); // 𠮷 is two UTF-16 units
  });

  it('takes runs of spaces as one when counting (V2.1.1)', () => {
    expect(passwordLength('tulip      harbor')).toBe(12);
    expect(passwordProblem('tulip      harb')).toContain('至少12个字符');
  });

  it('asks for no digits, capitals or symbols (V2.1.9)', () => {
    expect(passwordProblem('purple elephants dance')).toBeNull();
    expect(passwordProblem('我家门前有两棵枣树另一棵也是')).toBeNull();
  });

  it('refuses common passwords from the shipped list, whatever their letter case (V2.1.7)', () => {
    for (const p of ['password1234', 'qwertyuiop12', '1q2w3e4r5t6y', '123456789012', 'abc123456789', 'woaini1314520', 'demo1234demo', 'PassWord1234', '1qaz2wsx3edc']) {
      expect({ p, problem: passwordProblem(p) }).toEqual({ p, problem: '这是常见密码，很容易被猜到，请换一个' });
    }
  });

  it('refuses a password made of one character repeated, or holding the user name', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaa')).toContain('重复');
    expect(passwordProblem('zhanghaiyan-my-pass', { username: 'zhanghaiyan' })).toBe('密码不能包含用户名');
  });

  it('ships a list of thousands of common passwords', () => {
    const lines = fs.readFileSync(path.resolve(__dirname, '..', '..', 'data', 'passwords', 'common.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(3000);
    expect(lines.filter((l) => Array.from(l).length >= PASSWORD_MIN).length).toBeGreaterThan(3000);
  });
});
