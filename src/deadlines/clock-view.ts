import { STAGE_LABELS } from './stages';
import type { CaseDeadline, DeadlineStatus } from './entities/case-deadline.entity';

/** What a clock's state is called on screen (never the stored code word). */
export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, string> = { open: '进行中', met: '已完成', paused: '暂停（异议处理中）', cancelled: '已取消' };

export const UNIT_LABELS = { workday: '工作日', day: '自然日' } as const;

/** "超期 3 个工作日" from the deadlines service's count, in the clock's unit. */
export function overdueText(days: number | null, unit: keyof typeof UNIT_LABELS | null): string | null {
  if (days === null || days <= 0 || !unit) return null;
  return `超期 ${days} 个${UNIT_LABELS[unit]}`;
}

/** One clock as the case page and the lead's page show it. */
export function clockView(d: CaseDeadline, today: string) {
  const open = d.status === 'open';
  return {
    stageLabel: STAGE_LABELS[d.stage],
    limit: `${d.limitValue}${d.extension ? `+${d.extension}` : ''} 个${UNIT_LABELS[d.unit]}`,
    startDate: d.startDate,
    dueDate: d.dueDate,
    missingYear: d.missingYear,
    statusLabel: DEADLINE_STATUS_LABELS[d.status],
    overdue: open && !!d.dueDate && today > d.dueDate,
    dueSoon: open && d.dueDate === today,
    late: d.late === true,
    open,
  };
}
