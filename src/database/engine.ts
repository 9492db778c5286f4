/**
 * Which database engine this process talks to, read once from the environment at start-up.
 *
 * SQLite is the embedded default: one file, nothing to install (a county on a laptop).
 * PostgreSQL is chosen with DATABASE_URL=postgres://… (a prefecture or province platform, several
 * instances). The engine is fixed for the life of the process: entity column types are decided
 * when their classes load (a timestamp is `datetime` text on SQLite, `timestamptz` on PostgreSQL),
 * so it is read here, before any entity is imported, and never changes afterwards.
 */
export type Engine = 'sqlite' | 'postgres';

export type DatabaseTarget = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export function engineFrom(env: NodeJS.ProcessEnv): Engine {
  return env.DATABASE_URL && POSTGRES_URL.test(env.DATABASE_URL) ? 'postgres' : 'sqlite';
}

export const ENGINE: Engine = engineFrom(process.env);

export const isPostgres = ENGINE === 'postgres';

/** The column type of an instant: SQLite keeps TypeORM's UTC text, PostgreSQL a timestamptz. */
export const INSTANT = (isPostgres ? 'timestamptz' : 'datetime') as 'datetime';
