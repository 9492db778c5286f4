import { PostgresInit1765000000000 } from './postgres/1765000000000-PostgresInit';
import { PostgresReportIndexes1765100000000 } from './postgres/1765100000000-PostgresReportIndexes';
import { Init1763700000000 } from './1763700000000-Init';
import { SearchAndAppendOnly1763700000001 } from './1763700000001-SearchAndAppendOnly';
import { NameKeys1763800000000 } from './1763800000000-NameKeys';
import { SearchReindex1764000000000 } from './1764000000000-SearchReindex';
import { HistoryChain1764100000000 } from './1764100000000-HistoryChain';
import { ReplyAndMinors1764200000000 } from './1764200000000-ReplyAndMinors';
import { NeutralRuleSources1764300000000 } from './1764300000000-NeutralRuleSources';
import { CaseNameKeys1764500000000 } from './1764500000000-CaseNameKeys';
import { CaseDueIndex1764700000000 } from './1764700000000-CaseDueIndex';
import { ShownRulesRun1764800000000 } from './1764800000000-ShownRulesRun';
import { ReportIndexes1764900000000 } from './1764900000000-ReportIndexes';
import { Counties1765200000000 } from './1765200000000-Counties';
import { PostgresCounties1765300000000 } from './postgres/1765300000000-PostgresCounties';
import { CountyDeadlines1765400000000 } from './1765400000000-CountyDeadlines';
import { PostgresCountyDeadlines1765400000000 } from './postgres/1765400000000-PostgresCountyDeadlines';
import { ClockCoveringIndex1765500000000 } from './1765500000000-ClockCoveringIndex';
import { PostgresClockCoveringIndex1765500000000 } from './postgres/1765500000000-PostgresClockCoveringIndex';
import { CountyReceivedIndex1765600000000 } from './1765600000000-CountyReceivedIndex';
import { PostgresNameKeyOrder1765600000000 } from './postgres/1765600000000-PostgresNameKeyOrder';
import { CountyFirstIndexes1765700000000 } from './1765700000000-CountyFirstIndexes';
import { PostgresCountyFirstIndexes1765700000000 } from './postgres/1765700000000-PostgresCountyFirstIndexes';
import { CaseTimeliness1765800000000 } from './1765800000000-CaseTimeliness';
import { PostgresCaseTimeliness1765800000000 } from './postgres/1765800000000-PostgresCaseTimeliness';
import { CaseTallies1765900000000 } from './1765900000000-CaseTallies';
import { PostgresCaseTallies1765900000000 } from './postgres/1765900000000-PostgresCaseTallies';

/**
 * In order. Listed by hand so the compiled app and ts-jest load the same migrations. The first
 * release's schema is one generated migration (the development-time steps were squashed before
 * anything was deployed); later changes add migrations after these.
 */
export const MIGRATIONS: Function[] = [
  Init1763700000000,
  SearchAndAppendOnly1763700000001,
  NameKeys1763800000000,
  SearchReindex1764000000000,
  HistoryChain1764100000000,
  ReplyAndMinors1764200000000,
  NeutralRuleSources1764300000000,
  CaseNameKeys1764500000000,
  CaseDueIndex1764700000000,
  ShownRulesRun1764800000000,
  ReportIndexes1764900000000,
  Counties1765200000000,
  CountyDeadlines1765400000000,
  ClockCoveringIndex1765500000000,
  CountyReceivedIndex1765600000000,
  CountyFirstIndexes1765700000000,
  CaseTimeliness1765800000000,
  CaseTallies1765900000000,
];

/** PostgreSQL's own set, producing the same schema (timestamptz, identity columns, triggers in PL/pgSQL). */
export const POSTGRES_MIGRATIONS: Function[] = [PostgresInit1765000000000, PostgresReportIndexes1765100000000, PostgresCounties1765300000000, PostgresCountyDeadlines1765400000000, PostgresClockCoveringIndex1765500000000, PostgresNameKeyOrder1765600000000, PostgresCountyFirstIndexes1765700000000, PostgresCaseTimeliness1765800000000, PostgresCaseTallies1765900000000];
