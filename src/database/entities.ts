import { AuditEvent } from '../audit/entities/audit-event.entity';
import { ApiToken } from '../auth/entities/api-token.entity';
import { LoginThrottle } from '../auth/entities/login-throttle.entity';
import { SessionRow } from '../auth/entities/session.entity';
import { Case } from '../cases/entities/case.entity';
import { CaseHistory } from '../cases/entities/case-history.entity';
import { CaseProblemType } from '../cases/entities/case-problem-type.entity';
import { CaseSequence } from '../cases/entities/case-sequence.entity';
import { Township } from '../townships/entities/township.entity';
import { Village } from '../townships/entities/village.entity';
import { User } from '../users/entities/user.entity';

/** Every entity, listed by hand so the app, the CLI and the tests load the same set. */
export const ENTITIES = [
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
];
