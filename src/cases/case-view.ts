import type { AuthUser } from '../auth/auth-user';
import { formatDateTime } from '../common/time';
import { overdueText } from '../deadlines/clock-view';
import { contentFor } from '../documents/documents';
import { replyBy, reporterFor } from './reporter-view';
import { ROLE_LABELS } from '../users/role';
import {
  CALLBACK_RESULT_LABELS,
  CASE_STATUS_LABELS,
  CHANNEL_LABELS,
  CLOSE_REASON_LABELS,
  KIND_LABELS,
  PROBLEM_TYPE_LABELS,
  PROGRAM_LABELS,
  REPORTER_TYPE_LABELS,
  URGENCY_LABELS,
  VERIFICATION_OUTCOME_LABELS,
} from './case.enums';
import type { CaseListRow } from './case-query.service';
import { CaseHistory } from './entities/case-history.entity';
import { FieldsChangedData, historyTitle } from './history/history-entry';
import { Case } from './entities/case.entity';

/** Labels for one list row (page). */
export function listRowView(r: CaseListRow) {
  return {
    ...r,
    channelLabel: CHANNEL_LABELS[r.channel],
    kindLabel: KIND_LABELS[r.kind],
    programLabel: PROGRAM_LABELS[r.program],
    statusLabel: CASE_STATUS_LABELS[r.status],
    urgencyLabel: URGENCY_LABELS[r.urgency],
    urgent: r.urgency !== 'normal',
    receivedAtText: formatDateTime(r.receivedAt),
    overdue: r.dueState === 'overdue' || (r.overdueDays ?? 0) > 0,
    dueSoon: r.dueState === 'dueSoon',
    overdueText: overdueText(r.overdueDays, r.dueUnit),
  };
}

/** API shape of a list row: code words, ISO times. */
export function listRowApi(r: CaseListRow) {
  return {
    caseNo: r.caseNo,
    channel: r.channel,
    kind: r.kind,
    program: r.program,
    status: r.status,
    urgency: r.urgency,
    receivedAt: r.receivedAt.toISOString(),
    townshipId: r.townshipId,
    townshipName: r.townshipName,
    subjectName: r.subjectName,
    excerpt: r.excerpt,
    deadline: r.dueDate,
    dueState: r.dueState,
    // how long past the deadline, in the unit of its clock (workday / day)
    overdue: r.overdueDays ? { days: r.overdueDays, unit: r.dueUnit } : null,
  };
}

const FIELD_LABELS: Record<string, string> = {
  townshipId: '所在乡镇',
  villageId: '村（社区）',
  kind: '诉求类型',
  program: '救助项目',
  problemTypes: '问题类别',
  urgency: '紧急程度',
};

/** One timeline entry for the case page: its title from the entry kind, the status move beside it. */
export function historyView(h: CaseHistory) {
  const moved = h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus;
  const changes = h.type === 'fieldsChanged' ? (((h.data as Partial<FieldsChangedData> | null)?.changes ?? []) as FieldsChangedData['changes']) : [];
  return {
    id: h.id,
    seq: h.seq,
    atText: formatDateTime(h.at),
    actorName: h.actorName,
    actorRoleLabel: h.actorRole ? ROLE_LABELS[h.actorRole] : '',
    title: historyTitle(h),
    moveText: moved ? `${CASE_STATUS_LABELS[h.fromStatus!]} → ${CASE_STATUS_LABELS[h.toStatus!]}` : null,
    statusLabel: h.toStatus ? CASE_STATUS_LABELS[h.toStatus] : null,
    note: h.note,
    changes: changes.map((c) => ({ label: FIELD_LABELS[c.field] ?? c.field, from: c.from ?? '（空）', to: c.to ?? '（空）' })),
  };
}

/** One entry in the API: the stored fields, its place in the case's chain and the timeline's title. */
export function historyApi(h: CaseHistory) {
  return {
    id: h.id,
    seq: h.seq,
    at: h.at.toISOString(),
    actorName: h.actorName,
    actorRole: h.actorRole,
    type: h.type,
    action: h.action,
    title: historyTitle(h),
    fromStatus: h.fromStatus,
    toStatus: h.toStatus,
    note: h.note,
    data: h.data,
  };
}

/** Every field of a case the viewer may see, with labels, for the case page. */
export function caseView(c: Case, viewer: AuthUser) {
  const { reporterName: _n, reporterPhone: _p, reporterIdNumber: _i, reporterAddress: _a, ...rest } = c;
  const reporter = reporterFor(viewer, c);
  return {
    ...rest,
    reporter,
    content: contentFor(reporter, c),
    urgeNote: c.urgeNote === null ? null : contentFor(reporter, { content: c.urgeNote, reporterName: c.reporterName }),
    channelLabel: CHANNEL_LABELS[c.channel],
    kindLabel: KIND_LABELS[c.kind],
    programLabel: PROGRAM_LABELS[c.program],
    statusLabel: CASE_STATUS_LABELS[c.status],
    urgencyLabel: URGENCY_LABELS[c.urgency],
    urgent: c.urgency !== 'normal',
    reporterTypeLabel: REPORTER_TYPE_LABELS[c.reporterType],
    anonymous: c.reporterType === 'anonymous',
    problemTypeLabels: c.problemTypes.map((p) => PROBLEM_TYPE_LABELS[p] ?? p),
    closeReasonLabel: c.closeReason ? CLOSE_REASON_LABELS[c.closeReason] : null,
    verificationOutcomeLabel: c.verificationOutcome ? VERIFICATION_OUTCOME_LABELS[c.verificationOutcome] : null,
    callbackResultLabel: c.callbackResult ? CALLBACK_RESULT_LABELS[c.callbackResult] : null,
    receivedAtText: formatDateTime(c.receivedAt),
    createdAtText: formatDateTime(c.createdAt),
    assignedAtText: formatDateTime(c.assignedAt),
    closedAtText: formatDateTime(c.closedAt),
    townshipName: c.township?.name ?? null,
    villageName: c.village?.name ?? null,
    createdByName: c.createdBy?.displayName ?? null,
  };
}

/** API shape of one case: DOMAIN §3 code words in camelCase. */
export function caseApi(c: Case, viewer: AuthUser, history?: CaseHistory[]) {
  const r = reporterFor(viewer, c);
  return {
    caseNo: c.caseNo,
    status: c.status,
    channel: c.channel,
    kind: c.kind,
    program: c.program,
    problemTypes: c.problemTypes,
    urgency: c.urgency,
    receivedAt: c.receivedAt.toISOString(),
    reporter: { type: r.type, name: r.name, phone: r.phone, idNumber: r.idNumber, address: r.address, withheld: r.withheld, minor: r.withheld || r.type === 'anonymous' ? null : c.reporterMinor },
    townshipId: c.townshipId,
    townshipName: c.township?.name ?? null,
    villageId: c.villageId,
    villageName: c.village?.name ?? null,
    subject: { name: c.subjectName, unit: c.subjectUnit, post: c.subjectPost, minor: c.subjectMinor },
    content: contentFor(r, c),
    assignedAt: c.assignedAt ? c.assignedAt.toISOString() : null,
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
    closeReason: c.closeReason,
    deadline: c.dueDate,
    dueState: c.dueState,
    calendarMissingYear: c.calendarMissingYear,
    acknowledgedAt: c.acknowledgedAt ? c.acknowledgedAt.toISOString() : null,
    verificationOutcome: c.verificationOutcome,
    // the reply to the reporter: the township's draft and the text the county approved
    // who answers the reporter (township, county, nobody) and when it was recorded
    reply: { by: replyBy(c), draft: c.replyDraft, text: c.replyText, approvedAt: c.replyApprovedAt ? c.replyApprovedAt.toISOString() : null, answeredAt: c.feedbackAt ? c.feedbackAt.toISOString() : null },
    callbackResult: c.callbackResult,
    callbackAttempts: c.callbackAttempts,
    urged: c.urgedAt ? { at: c.urgedAt.toISOString(), note: c.urgeNote === null ? null : contentFor(r, { content: c.urgeNote, reporterName: c.reporterName }), count: c.urgeCount } : null,
    pendingExtension: c.pendingExtensionDays !== null ? { days: c.pendingExtensionDays, reason: c.pendingExtensionReason } : null,
    createdAt: c.createdAt.toISOString(),
    ...(history ? { history: history.map(historyApi) } : {}),
  };
}
