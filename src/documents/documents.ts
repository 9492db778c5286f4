import type { AuthUser } from '../auth/auth-user';
import { isReport, PROTECTED_REPORTER_LABEL, ReporterView, reporterFor } from '../cases/reporter-view';
import type { Case } from '../cases/entities/case.entity';
import { maskName, maskPersonalText } from '../common/masking';

/**
 * What a document shows of the people of a case is decided here, once, from the viewer AND the
 * document's addressee (DOMAIN §7: masking follows the addressee, not only the viewer). A document
 * for a township masks the complainant whoever prints it; a document for the public names nobody
 * in full and shows only the approved reply, masked.
 * - county: the county's own working papers: what the viewer may see.
 * - township: what the staff of the case's township may see (a complainant is withheld unless a
 *   supervisor disclosed them to that township), and never more than the viewer may see.
 * - public: the reporter, the public status page: names starred (孙**), a minor not named at all,
 *   no phone, ID number or address; free text masked by pattern (maskPersonalText).
 * - liaison: the discipline-inspection body, which handles real-name reports: what the viewer may see.
 */
export type Addressee = 'county' | 'township' | 'public' | 'liaison';

export type CaseForDocument = Pick<
  Case,
  | 'kind'
  | 'reporterType'
  | 'reporterName'
  | 'reporterPhone'
  | 'reporterIdNumber'
  | 'reporterAddress'
  | 'reporterMinor'
  | 'subjectName'
  | 'subjectUnit'
  | 'subjectPost'
  | 'subjectMinor'
  | 'problemTypes'
  | 'townshipId'
> &
  Partial<Pick<Case, 'reporterDisclosedToTownshipId'>>;

export interface DocumentSpec {
  title: string;
  addressee: Addressee;
  /** 密: the document carries report material or a reporter's identity. */
  confidential: (c: CaseForDocument) => boolean;
}

export const DOCUMENTS = {
  /** 受理告知书: the written notice to the reporter (信访工作条例第二十二条). */
  'acceptance-notice': { title: '受理告知书', addressee: 'public', confidential: () => false },
  /** 交办单: handed to the township with the case. */
  'assignment-sheet': { title: '交办单', addressee: 'township', confidential: (c) => isReport(c) },
  /** 处理意见书: the answer to the reporter. */
  reply: { title: '处理意见书', addressee: 'public', confidential: () => false },
  /** 问题线索移交登记表: to the discipline-inspection body; always confidential. */
  'referral-form': { title: '问题线索移交登记表', addressee: 'liaison', confidential: () => true },
  /** The public status page (/lookup). */
  'status-page': { title: '办理进展', addressee: 'public', confidential: () => false },
} as const satisfies Record<string, DocumentSpec>;

export type DocumentKey = keyof typeof DOCUMENTS;

const STRICTNESS = (r: ReporterView): number => (r.withheld ? 2 : r.idNumber && r.idNumber.includes('*') ? 1 : 0);

/** The reporter as the document may show them. */
export function reporterForDocument(viewer: AuthUser, c: CaseForDocument, addressee: Addressee): ReporterView {
  const own = reporterFor(viewer, c);
  switch (addressee) {
    case 'county':
    case 'liaison':
      return own;
    case 'township': {
      // as the staff of the case's township would see it (its disclosure included)
      const staff: AuthUser = { id: 0, username: '', displayName: '', role: 'township', townshipId: c.townshipId, via: 'session', recused: false };
      const theirs = reporterFor(staff, c);
      return STRICTNESS(theirs) >= STRICTNESS(own) ? theirs : own;
    }
    case 'public': {
      if (c.reporterType === 'anonymous') return own;
      if (own.withheld) return { ...own, displayName: '反映人', name: null, phone: null, idNumber: null, address: null };
      const name = c.reporterMinor ? null : maskName(c.reporterName);
      return { type: 'realName', displayName: name || '反映人', name, phone: null, idNumber: null, address: null, withheld: true };
    }
  }
}

/**
 * Free text for the public (the approved reply, a reason for not accepting): ID numbers, phones
 * and bank cards masked by pattern, and the names of the case's people starred.
 */
export function publicText(text: string | null | undefined, c: Pick<CaseForDocument, 'reporterName' | 'subjectName'>): string {
  return maskPersonalText(text, [c.reporterName, c.subjectName]);
}

/**
 * The content of a case as a reader who may not know the reporter sees it: when the reporter is
 * withheld from them, the reporter's name is starred and every phone, ID or card number in the text
 * is starred whole, last four digits included (an operator may have typed 「本人张三，电话…」).
 */
export function contentFor(r: Pick<ReporterView, 'withheld'>, c: Pick<Case, 'content' | 'reporterName'>): string {
  return r.withheld ? maskPersonalText(c.content, [c.reporterName], { whole: true }) : c.content;
}

/** The fields a list row needs to decide what its excerpt may show. */
export type ExcerptFacts = Pick<Case, 'kind' | 'reporterType' | 'reporterName' | 'subjectName' | 'subjectUnit' | 'subjectPost' | 'problemTypes'> & Partial<Pick<Case, 'reporterDisclosedToTownshipId'>>;

/** A list's or queue's excerpt of the content, as `viewer` may read it (see contentFor). */
export function excerptFor(viewer: AuthUser, row: ExcerptFacts, excerpt: string): string {
  if (viewer.role === 'operator' || viewer.role === 'supervisor') return excerpt;
  const r = reporterFor(viewer, { ...row, reporterPhone: null, reporterIdNumber: null, reporterAddress: null });
  return contentFor(r, { content: excerpt, reporterName: row.reporterName });
}

/** The header fields every printed document carries. */
export function documentHeader(key: DocumentKey, c: CaseForDocument) {
  const spec: DocumentSpec = DOCUMENTS[key];
  return { title: spec.title, confidential: spec.confidential(c), addressee: spec.addressee };
}

export { PROTECTED_REPORTER_LABEL };
