import type { CaseStatus } from '../../src/cases/case.enums';
import type { Role } from '../../src/users/role';

/**
 * DOMAIN §5 written out independently of the lifecycle table in src/: who may take each action,
 * from which states. The unit test checks the table's gate against it for every combination; the
 * HTTP test samples each outcome through the API.
 */
const COUNTY: Role[] = ['operator', 'supervisor'];
const OPEN_AFTER_ACCEPT: CaseStatus[] = ['accepted', 'assigned', 'verifying', 'objecting', 'inReview', 'approved'];
/** After the decision to accept or not: a written notice or a death can be recorded, on open and closed cases. */
const AFTER_DECISION: CaseStatus[] = [...OPEN_AFTER_ACCEPT, 'closed'];
/**
 * `aboveCounty`: who of a prefecture or province may take it too, on a case of a county below
 * them. Above a county, users read and urge (督办): nobody there takes any other step.
 */
export const SPEC: Record<string, { from: CaseStatus[]; who: Role[]; aboveCounty?: Role[] }> = {
  accept: { from: ['registered'], who: COUNTY },
  'not-accept': { from: ['registered'], who: COUNTY },
  answer: { from: ['registered'], who: COUNTY },
  assign: { from: ['accepted'], who: COUNTY },
  acknowledge: { from: ['assigned'], who: ['township'] },
  object: { from: ['assigned', 'verifying'], who: ['township'] },
  'decide-objection': { from: ['objecting'], who: ['supervisor'] },
  verify: { from: ['verifying'], who: ['township'] },
  supplement: { from: ['verifying'], who: ['township'] },
  feedback: { from: ['verifying'], who: ['township'] },
  submit: { from: ['verifying'], who: ['township'] },
  approve: { from: ['inReview'], who: ['supervisor'] },
  'send-back': { from: ['inReview'], who: ['supervisor'] },
  'request-extension': { from: ['verifying'], who: ['township'] },
  'decide-extension': { from: ['verifying', 'objecting', 'inReview'], who: ['supervisor'] },
  'county-visit': { from: ['verifying', 'inReview'], who: COUNTY },
  'county-reply': { from: ['approved'], who: COUNTY },
  callback: { from: ['approved'], who: COUNTY },
  urge: { from: OPEN_AFTER_ACCEPT, who: ['supervisor'], aboveCounty: ['supervisor'] },
  close: { from: ['approved'], who: COUNTY },
  reopen: { from: ['closed'], who: ['supervisor'] },
  // 书面告知 (信访工作条例 Art. 23): the county sends it, once it has decided to accept or not
  'record-notice': { from: AFTER_DECISION, who: COUNTY },
  // 复查/复核 (Art. 35-36) on closed cases: county staff log the request, the supervisor the decision
  'request-review': { from: ['closed'], who: COUNTY },
  'decide-review': { from: ['closed'], who: ['supervisor'] },
  'request-rereview': { from: ['closed'], who: COUNTY },
  'decide-rereview': { from: ['closed'], who: ['supervisor'] },
  // a 低保 recipient's death and the household re-check: the township does it, the county may record it
  'record-death': { from: AFTER_DECISION, who: ['operator', 'supervisor', 'township'] },
  'record-recheck': { from: AFTER_DECISION, who: ['operator', 'supervisor', 'township'] },
};

