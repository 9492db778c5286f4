import { Init1763700000000 } from './1763700000000-Init';
import { SearchAndAppendOnly1763700000001 } from './1763700000001-SearchAndAppendOnly';
import { WorkflowDeadlines1763800000000 } from './1763800000000-WorkflowDeadlines';
import { ProtectionReferrals1763900000000 } from './1763900000000-ProtectionReferrals';
import { ReportsLookupRepeats1764000000000 } from './1764000000000-ReportsLookupRepeats';

/** In order. Listed by hand so the compiled app and ts-jest load the same migrations. */
export const MIGRATIONS: Function[] = [Init1763700000000, SearchAndAppendOnly1763700000001, WorkflowDeadlines1763800000000, ProtectionReferrals1763900000000, ReportsLookupRepeats1764000000000];
