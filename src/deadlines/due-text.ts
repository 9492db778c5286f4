/**
 * A due date as documents and notices print it: never blank. When the date falls in a year whose
 * holiday calendar is not entered yet, it says so (the date follows once the year is entered).
 */
export function dueText(d: { dueDate: string | null; missingYear: number | null } | null | undefined): string {
  if (d?.dueDate) return d.dueDate;
  if (d?.missingYear) return `（${d.missingYear}年节假日安排尚未录入，录入后确定）`;
  return '（期限待定）';
}
