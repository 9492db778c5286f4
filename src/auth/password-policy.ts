import * as fs from 'fs';
import * as path from 'path';

/**
 * The one password rule, applied wherever a password is set: the administrator's user form
 * (new user, reset), `npm run admin:create`, and 修改密码 (a user's own). Sign-in never applies
 * it: an account signs in with the password it has (the demo accounts keep demo1234) until the
 * password is changed. OWASP ASVS 4.0.3 V2.1:
 * - 2.1.1 at least 12 characters, after runs of spaces are taken as one;
 * - 2.1.2 up to 128 characters (64 or more must be allowed);
 * - 2.1.3 never truncated; 2.1.4 any character, Chinese or emoji (counted per code point, so a
 *   Chinese passphrase counts per character, not per UTF-16 unit);
 * - 2.1.7 a shipped list of common passwords is refused (data/passwords/common.txt);
 * - 2.1.9 no composition rules (no "must contain a digit");
 * - 2.1.5/2.1.6 users change their own, giving the current one (AuthService.changeOwnPassword).
 * Context words (the user name) and one character repeated are refused as NIST SP 800-63B
 * 5.1.1.2 suggests for a blocklist; they are not composition rules.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export const PASSWORD_HINT = `至少${PASSWORD_MIN}个字符，可用中文、空格或一句话，不要求包含数字或符号`;

const LIST_FILE = path.resolve(__dirname, '..', '..', 'data', 'passwords', 'common.txt');
let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  if (!common) {
    const lines = fs.readFileSync(LIST_FILE, 'utf8').split('\n');
    common = new Set(lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }
  return common;
}

/** Code points after runs of white space count as one (ASVS 2.1.1). */
export function passwordLength(password: string): number {
  return Array.from(password.replace(/\s+/gu, ' ')).length;
}

/** Why this password may not be set, in Chinese for the field, or null. */
export function passwordProblem(password: unknown, context: { username?: string | null } = {}): string | null {
  if (typeof password !== 'string' || password === '') return '请输入密码';
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return `密码至少${PASSWORD_MIN}个字符（现为${length}个），可以用一句容易记住的话`;
  if (length > PASSWORD_MAX) return `密码不超过${PASSWORD_MAX}个字符`;
  const lower = password.toLowerCase();
  const squeezed = lower.replace(/\s+/gu, '');
  const list = commonPasswords();
  if (list.has(lower) || list.has(squeezed)) return '这是常见密码，很容易被猜到，请换一个';
  if (new Set(Array.from(squeezed)).size < 3) return '密码不能只由一两个字符重复组成';
  const name = context.username?.trim().toLowerCase();
  if (name && name.length >= 3 && squeezed.includes(name)) return '密码不能包含用户名';
  return null;
}

/** Loaded at start-up, so a missing list stops the server instead of failing a password change. */
export function loadCommonPasswords(): number {
  return commonPasswords().size;
}
