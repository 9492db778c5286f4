import { nameKey } from '../common/names';
import { normaliseIdNumber, normalisePhone } from '../common/identity';
import { normaliseCaseNo } from '../common/case-no';
import { CASE_SEARCH } from './case-search.repository';

/**
 * The one search box of the case list: what the typed text is taken to be. Each kind is looked up
 * through its own index (see CaseQueryService and docs/DESIGN.md "Finding a case").
 * - caseNo: a case number as the system issues it, typed in any case, with spaces or without
 *   the hyphen (jz2026 000123, JZ2026000123);
 * - phone: a mainland mobile or a landline with its area code, spaces, hyphens, brackets and a
 *   leading +86 ignored; looked up in the forms intake stores (normalisePhone keeps a landline's
 *   hyphen if one was typed, so both forms are tried);
 * - idNumber: 18 characters, the last a digit or X (x);
 * - name: Chinese characters that could be a person's name (2 to 20, name dots and spaces
 *   allowed): the reporter's and the subject's name keys (nameKey) and, as before, the content;
 * - text: anything else, the content only.
 * Personal kinds (phone, ID number, name) are audited.
 */
export type SearchKind = 'caseNo' | 'phone' | 'idNumber' | 'name' | 'text';

export interface SearchQuery {
  kind: SearchKind;
  /** caseNo: the number in its issued form. */
  caseNo?: string;
  /** phone: the digits as typed, and the stored forms to look up. */
  phone?: string;
  phones?: string[];
  /** idNumber: upper-case X. */
  idNumber?: string;
  /** name: the name key (src/common/names.ts). */
  nameKey?: string;
  /** name, text: the FTS5 expression over the content (null: nothing searchable there). */
  match?: string | null;
  /** The text as typed (trimmed), for the content rule about withheld reporters. */
  text: string;
}

export const SEARCH_KIND_LABELS: Record<SearchKind, string> = {
  caseNo: '案件编号',
  phone: '电话号码',
  idNumber: '身份证号码',
  name: '姓名或内容关键词',
  text: '内容关键词',
};

/** The kinds whose key is a person's data: searches by them are audited. */
export const PERSONAL_SEARCH_KINDS: readonly SearchKind[] = ['phone', 'idNumber', 'name'];

/** The personal keys as the audit log names them. */
export const PERSONAL_KEY_LABELS: Record<string, string> = { phone: '电话号码', idNumber: '身份证号码', name: '姓名' };

const NAME_MIN = 2;
const NAME_MAX = 20;
/** Han characters with the name dots and spaces nameKey leaves out. */
const NAME_LIKE = /^[\p{Script=Han}·•・.．\s\u00a0\u3000]+$/u;

/** The stored forms of a phone given as digits only (landline: with and without the hyphen). */
function phoneForms(digits: string): string[] | null {
  if (/^1[3-9]\d{9}$/.test(digits)) return [digits];
  // 0 + area code (2 or 3 more digits) + a local number of 7 or 8 digits starting 2-9
  if (/^0\d{9,11}$/.test(digits)) {
    const forms = new Set([digits]);
    for (const area of [3, 4]) {
      const local = digits.slice(area);
      if (/^[2-9]\d{6,7}$/.test(local)) forms.add(`${digits.slice(0, area)}-${local}`);
    }
    return forms.size > 1 ? [...forms] : null;
  }
  return null;
}

/** What the search box thinks `raw` is, or null when there is nothing to search for. */
export function classifySearch(raw: string | null | undefined): SearchQuery | null {
  const text = String(raw ?? '').trim();
  if (!text) return null;
  const caseNo = normaliseCaseNo(text);
  if (caseNo) return { kind: 'caseNo', caseNo, text };

  // full-width digits and dashes read as ASCII, as everywhere a number is typed
  const ascii = text.normalize('NFKC');
  const compact = normalisePhone(ascii.replace(/[-‐‑‒–—－.]/g, ''));
  if (/^\d+$/.test(compact)) {
    const phones = phoneForms(compact);
    if (phones) return { kind: 'phone', phone: compact, phones, text };
  }
  const id = normaliseIdNumber(ascii.replace(/-/g, ''));
  if (/^\d{17}[\dX]$/.test(id)) return { kind: 'idNumber', idNumber: id, text };

  const match = CASE_SEARCH.query(text);
  const key = nameKey(text.normalize('NFC'));
  const length = Array.from(key).length;
  if (NAME_LIKE.test(text) && length >= NAME_MIN && length <= NAME_MAX) return { kind: 'name', nameKey: key, match, text };
  if (!match) return null;
  return { kind: 'text', match, text };
}
