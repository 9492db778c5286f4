import { QueryFailedError } from 'typeorm';

/**
 * A unique index refused the row, on either engine: SQLite's SQLITE_CONSTRAINT_UNIQUE (better-
 * sqlite3's code), PostgreSQL's 23505 (unique_violation). Where a check before a write can lose a
 * race to a parallel request (or another instance), the index decides, and this names the refusal.
 */
export function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = (e as { driverError?: Error & { code?: string } }).driverError;
  return driver?.code === '23505' || driver?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(String(driver?.message ?? e.message));
}
