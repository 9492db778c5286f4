import { AuditEvent } from '../audit/entities/audit-event.entity';
import { ApiToken } from '../auth/entities/api-token.entity';
import { LoginThrottle } from '../auth/entities/login-throttle.entity';
import { SessionRow } from '../auth/entities/session.entity';
import { Case } from '../cases/entities/case.entity';
import { CaseHistory } from '../cases/entities/case-history.entity';
import { CaseProblemType } from '../cases/entities/case-problem-type.entity';
import { CaseSequence } from '../cases/entities/case-sequence.entity';
import { CalendarDay } from '../calendar/entities/calendar-day.entity';
import { CalendarYear } from '../calendar/entities/calendar-year.entity';
import { CountyCalendarDay } from '../calendar/entities/county-calendar-day.entity';
import { CaseDeadline } from '../deadlines/entities/case-deadline.entity';
import { DeadlineRule } from '../deadlines/entities/deadline-rule.entity';
import { CountyDeadlineRule } from '../deadlines/entities/county-deadline-rule.entity';
import { JobLease } from '../jobs/entities/job-lease.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { CaseRecusal } from '../protection/entities/case-recusal.entity';
import { RelativeRegistration } from '../protection/entities/relative-registration.entity';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralCase } from '../referrals/entities/referral-case.entity';
import { RepeatDismissal } from '../repeats/entities/repeat-dismissal.entity';
import { SpotCheck, SpotCheckItem } from '../spotchecks/entities/spot-check.entity';
import { Region } from '../regions/entities/region.entity';
import { Township } from '../townships/entities/township.entity';
import { Village } from '../townships/entities/village.entity';
import { User } from '../users/entities/user.entity';

/** Every entity, listed by hand so the app, the CLI and the tests load the same set. */
export const ENTITIES = [
  Region,
  Township,
  Village,
  User,
  SessionRow,
  ApiToken,
  LoginThrottle,
  AuditEvent,
  Case,
  CaseProblemType,
  CaseHistory,
  CaseSequence,
  CalendarYear,
  CalendarDay,
  CountyCalendarDay,
  DeadlineRule,
  CountyDeadlineRule,
  CaseDeadline,
  Notification,
  JobLease,
  RelativeRegistration,
  CaseRecusal,
  Referral,
  ReferralCase,
  RepeatDismissal,
  SpotCheck,
  SpotCheckItem,
];
