import { createHmac } from 'crypto';
import { SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { maskIdNumber, maskName, maskPhone } from '../common/masking';
import { nameKeySql } from '../common/names';
import { perEngine } from '../database/sql';
import { CASE_SEARCH } from './case-search.repository';
import type { Case } from './entities/case.entity';
import { NOTHING_WITHHELD, reporterWithheldSql } from './reporter-view';
import type { SearchQuery } from './search-query';

/**
 * The search box's lookups as conditions on the case list's query (alias `c`), one per "leg":
 * each is one index (the unique case number, the reporter's phone and ID number, the reporter's
 * and the subject's name keys (nameKey, as recusal matches names), the content's FTS5 table). The list runs each leg on its own, newest
 * registered first and stopping at the page size, and merges them; the ledger export takes them
 * as one OR. The viewer's scope is added by the caller (applyCaseScope), as for every list.
 *
 * Masking (DOMAIN §7): a leg that reads the reporter's details finds only cases whose reporter the
 * viewer may see (reporterWithheldSql, the twin of reporterFor). The content leg finds a case
 * with a withheld reporter only when the typed text cannot have matched what the viewer's copy
 * of the content stars: no digit in it (every phone, ID or card number is starred whole) and no
 * character of the reporter's name in it. That leaves out some honest hits; it never lets a
 * township user learn that a complainant's name or number is in a case.
 */
export type SearchLeg = 'caseNo' | 'phone0' | 'phone1' | 'phone2' | 'idNumber' | 'reporterName' | 'subjectName' | 'content';

const PHONE_LEGS = ['phone0', 'phone1', 'phone2'] as const;

export function searchLegs(sq: SearchQuery): SearchLeg[] {
  switch (sq.kind) {
    case 'caseNo':
      return ['caseNo'];
    case 'phone':
      // one equality per stored form: an IN list (or an IN subquery) made SQLite, without
      // statistics, take the township index for township staff and read their whole township
      return PHONE_LEGS.slice(0, sq.phones!.length);
    case 'idNumber':
      return ['idNumber'];
    case 'name':
      return sq.match ? ['reporterName', 'subjectName', 'content'] : ['reporterName', 'subjectName'];
    case 'text':
      return ['content'];
  }
}

/**
 * The name key of a column equals :sNameKey, written so that the partial expression index of
 * migration CaseNameKeys serves it (the same expression, and the index's condition implied).
 */
export function nameKeyMatch(column: string, param = ':sNameKey'): string {
  return `${nameKeySql(column)} = ${param} AND ${column} IS NOT NULL`;
}

/** Where a text occurs in another (1-based, 0 when not): instr on SQLite, strpos on PostgreSQL. */
const POSITION_OF = perEngine({ sqlite: 'instr', postgres: 'strpos' });

/** The content leg may not see through the starring of a withheld reporter (see above). */
function contentRestriction(user: AuthUser, sq: SearchQuery, params: Record<string, unknown>): string | null {
  const withheld = reporterWithheldSql(user, 'c');
  if (withheld === NOTHING_WITHHELD) return null;
  const text = sq.text.normalize('NFKC').toLowerCase();
  if (/[0-9]/.test(text)) return `NOT ${withheld}`;
  const chars = [...new Set(Array.from(text).filter((ch) => /[\p{L}\p{N}]/u.test(ch)))];
  if (!chars.length) return null;
  const terms = chars.map((ch, i) => {
    params[`sCh${i}`] = ch;
    return `${POSITION_OF}(lower(c.reporterName), :sCh${i}) > 0`;
  });
  return `NOT (${withheld} AND c.reporterName IS NOT NULL AND (${terms.join(' OR ')}))`;
}

/**
 * One leg's condition with its parameters. `joined`: the content leg reads the FTS table joined
 * as `s` (the list's rowid-ordered walk); otherwise it is an IN over the FTS table.
 */
function legCondition(user: AuthUser, sq: SearchQuery, leg: SearchLeg, joined: boolean): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const notWithheld = () => {
    const w = reporterWithheldSql(user, 'c');
    return w === NOTHING_WITHHELD ? '' : ` AND NOT ${w}`;
  };
  switch (leg) {
    case 'caseNo':
      return { sql: 'c.caseNo = :sCaseNo', params: { sCaseNo: sq.caseNo } };
    case 'phone0':
    case 'phone1':
    case 'phone2': {
      const i = PHONE_LEGS.indexOf(leg);
      return { sql: `c.reporterPhone = :sPhone${i}${notWithheld()}`, params: { [`sPhone${i}`]: sq.phones![i] } };
    }
    case 'idNumber':
      return { sql: `c.reporterIdNumber = :sIdNumber${notWithheld()}`, params: { sIdNumber: sq.idNumber } };
    case 'reporterName':
      return { sql: `${nameKeyMatch('c.reporterName')}${notWithheld()}`, params: { sNameKey: sq.nameKey } };
    case 'subjectName':
      // the subject is not withheld from the township that handles the case
      return { sql: nameKeyMatch('c.subjectName'), params: { sNameKey: sq.nameKey } };
    case 'content': {
      params.sMatch = sq.match;
      const restriction = contentRestriction(user, sq, params);
      const match = joined ? CASE_SEARCH.joined(':sMatch') : CASE_SEARCH.within(':sMatch');
      return { sql: restriction ? `${match} AND ${restriction}` : match, params };
    }
  }
}

/** Narrows the list's query to one leg (the list) or to all of them (`leg` undefined: the export). */
export function applySearch(qb: SelectQueryBuilder<Case>, user: AuthUser, sq: SearchQuery, leg?: SearchLeg): SelectQueryBuilder<Case> {
  if (leg) {
    const { sql, params } = legCondition(user, sq, leg, leg === 'content');
    if (leg === 'content') qb.innerJoin('case_search', 's', CASE_SEARCH.join);
    return qb.andWhere(sql, params);
  }
  const parts = searchLegs(sq).map((l) => legCondition(user, sq, l, false));
  return qb.andWhere(`(${parts.map((p) => `(${p.sql})`).join(' OR ')})`, Object.assign({}, ...parts.map((p) => p.params)));
}

/** The key of a personal search as the audit keeps it: masked for reading, keyed-hashed for matching. */
export function auditedKey(sq: SearchQuery, secret: string): { key: string; keyHash: string } {
  const [shown, exact] =
    sq.kind === 'phone'
      ? [maskPhone(sq.phones![sq.phones!.length - 1]), sq.phone!]
      : sq.kind === 'idNumber'
        ? [maskIdNumber(sq.idNumber), sq.idNumber!]
        : [maskName(sq.nameKey), sq.nameKey ?? ''];
  // HMAC with the server secret: a copied audit table alone cannot be tested against guessed numbers
  return { key: shown, keyHash: createHmac('sha256', secret).update(`${sq.kind}:${exact}`).digest('hex') };
}
