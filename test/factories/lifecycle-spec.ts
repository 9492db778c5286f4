import type { CaseStatus } from '../../src/cases/case.enums';
import type { Role } from '../../src/users/role';

/**
 * DOMAIN §5 written out independently of the lifecycle table in src/: who may take each action,
 * from which states. The unit test checks the table's gate against it for every combination; the
 * HTTP test samples each outcome through the API.
 */
const COUNTY: Role[] = ['operator', 'supervisor'];
const OPEN_AFTER_ACCEPT: CaseStatus[] = ['accepted', 'assigned', 'verifying', 'objecting', 'inReview', 'approved'];
export const SPEC: Record<string, { from: CaseStatus[]; who: Role[] }> = {
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
  urge: { from: OPEN_AFTER_ACCEPT, who: ['supervisor'] },
  close: { from: ['approved'], who: COUNTY },
  reopen: { from: ['closed'], who: ['supervisor'] },
};

