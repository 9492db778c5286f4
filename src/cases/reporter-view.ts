import type { AuthUser } from '../auth/auth-user';
import { maskIdNumber } from '../common/masking';
import { COUNTY_CASE_ROLES } from '../users/role';
import { MISCONDUCT_PROBLEM_TYPES } from './case.enums';
import type { Case } from './entities/case.entity';

export const PROTECTED_REPORTER_LABEL = '实名举报人（已保密）';
export const ANONYMOUS_LABEL = '匿名';

export interface ReporterView {
  type: Case['reporterType'];
  /** What to show where the name goes. */
  displayName: string;
  name: string | null;
  phone: string | null;
  idNumber: string | null;
  address: string | null;
  /** True when details were withheld from this viewer. */
  withheld: boolean;
  /** Shown to township staff only because a supervisor disclosed it (every such view is audited). */
  disclosed?: boolean;
}

/**
 * The one place that decides what a viewer learns about the reporter; pages and the API both
 * use it, and it masks with the one masking function (DOMAIN §7).
 * - County roles see everything.
 * - Township staff never see who reported on someone (信访工作条例 Art. 30: reporting material
 *   must not reach the people reported on), see isReport(). On other matters they must reach the
 *   person, so they see name, phone and address, with the ID number masked.
 */
/**
 * A matter that reports on someone: a complaint, or any case naming a subject or a misconduct
 * problem type (a "suggestion" about a cadre's bribery is a report all the same).
 */
export function isReport(c: Pick<Case, 'kind' | 'subjectName' | 'subjectUnit' | 'subjectPost' | 'problemTypes'>): boolean {
  return (
    c.kind === 'complaint' ||
    !!(c.subjectName || c.subjectUnit || c.subjectPost) ||
    (c.problemTypes ?? []).some((p) => MISCONDUCT_PROBLEM_TYPES.includes(p))
  );
}

export function reporterFor(
  viewer: AuthUser,
  c: Pick<
    Case,
    'kind' | 'reporterType' | 'reporterName' | 'reporterPhone' | 'reporterIdNumber' | 'reporterAddress' | 'subjectName' | 'subjectUnit' | 'subjectPost' | 'problemTypes'
  > &
    Partial<Pick<Case, 'reporterDisclosedToTownshipId'>>,
): ReporterView {
  if (c.reporterType === 'anonymous') {
    return { type: 'anonymous', displayName: ANONYMOUS_LABEL, name: null, phone: null, idNumber: null, address: null, withheld: false };
  }
  const full: ReporterView = {
    type: 'realName',
    displayName: c.reporterName ?? '',
    name: c.reporterName,
    phone: c.reporterPhone,
    idNumber: c.reporterIdNumber,
    address: c.reporterAddress,
    withheld: false,
  };
  if (COUNTY_CASE_ROLES.includes(viewer.role)) return full;
  if (viewer.role === 'township' && isDisclosedTo(viewer, c)) return { ...full, disclosed: true };
  if (viewer.role === 'township' && !isReport(c)) {
    return { ...full, idNumber: c.reporterIdNumber ? maskIdNumber(c.reporterIdNumber) : null };
  }
  return { type: 'realName', displayName: PROTECTED_REPORTER_LABEL, name: null, phone: null, idNumber: null, address: null, withheld: true };
}

/** The reporter of this case was disclosed to the viewer's township by a supervisor. */
export function isDisclosedTo(viewer: AuthUser, c: Partial<Pick<Case, 'reporterDisclosedToTownshipId'>>): boolean {
  return viewer.role === 'township' && !!viewer.townshipId && c.reporterDisclosedToTownshipId === viewer.townshipId;
}

/**
 * Who answers the reporter (答复反映人): nobody answers an anonymous report; the county answers
 * a reporter withheld from the township (a complainant, unless a supervisor disclosed them to
 * the handling township: the township cannot call someone it may not know); otherwise the
 * township that verified the matter. The reply's wording is drafted by the township and approved
 * by the county in every case (提交审核, 审核通过).
 */
export type ReplyBy = 'township' | 'county' | 'nobody';

export function replyBy(
  c: Pick<Case, 'kind' | 'reporterType' | 'subjectName' | 'subjectUnit' | 'subjectPost' | 'problemTypes' | 'townshipId'> & Partial<Pick<Case, 'reporterDisclosedToTownshipId'>>,
): ReplyBy {
  if (c.reporterType === 'anonymous') return 'nobody';
  if (!isReport(c)) return 'township';
  return c.townshipId !== null && c.reporterDisclosedToTownshipId === c.townshipId ? 'township' : 'county';
}

export const REPLY_BY_LABELS: Record<ReplyBy, string> = {
  township: '由承办乡镇答复反映人',
  county: '反映人信息对乡镇保密，由县级答复反映人',
  nobody: '匿名反映，不答复反映人',
};

/** isReport() as an SQL condition on the case alias (the same columns, the same truthiness). */
export function isReportSql(alias = 'c'): string {
  const named = ['subjectName', 'subjectUnit', 'subjectPost'].map((col) => `COALESCE(${alias}.${col}, '') <> ''`);
  // problemTypes is the comma-separated copy isReport() reads
  const misconduct = MISCONDUCT_PROBLEM_TYPES.map((p) => `(',' || ${alias}.problemTypes || ',') LIKE '%,${p},%'`);
  return `(${[`${alias}.kind = 'complaint'`, ...named, ...misconduct].join(' OR ')})`;
}

/** reporterWithheldSql for a viewer from whom no reporter is withheld. */
export const NOTHING_WITHHELD = 'FALSE';

/**
 * `reporterFor(viewer, c).withheld` as an SQL condition on the case alias: its twin for searches,
 * which must not find a case by what the viewer may not learn of its reporter (a township user
 * typing a complainant's name, phone or ID number finds nothing by it). Tested against
 * reporterFor on the demo county. Only the viewer's township id, an integer, is written into the
 * text. Booleans as both engines read them (TRUE/FALSE, a comparison; not SQLite's 0 and `IS n`).
 */
export function reporterWithheldSql(viewer: AuthUser, alias = 'c'): string {
  if (COUNTY_CASE_ROLES.includes(viewer.role)) return NOTHING_WITHHELD;
  const realName = `${alias}.reporterType = 'realName'`;
  if (viewer.role !== 'township') return `(${realName})`;
  const disclosed = viewer.townshipId ? `COALESCE(${alias}.reporterDisclosedToTownshipId = ${Math.trunc(Number(viewer.townshipId))}, FALSE)` : 'FALSE';
  return `(${realName} AND NOT (${disclosed}) AND ${isReportSql(alias)})`;
}
