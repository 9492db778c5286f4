import type { Database } from 'better-sqlite3';
import type { Client } from 'pg';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { PostgresQueryRunner as PostgresQueryRunnerType } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { toDbDateTime } from '../common/time';
import { DatabaseTarget, ENGINE, Engine, isPostgres } from './engine';
import { toPostgresSql } from './postgres-sql';
import { rawDb, stmt } from './raw';

/**
 * The one way Duban's own SQL reaches the database, on either engine. A statement is written once
 * with `?` placeholders and bare camelCase names (postgres-sql.ts says how PostgreSQL reads it);
 * where the engines need different SQL, `perEngine` holds both, side by side.
 *
 * On SQLite the statements run on the shared better-sqlite3 connection, prepared once each
 * (preparing costs more than running); inside DbWriter.write() they are part of that write's
 * transaction. On PostgreSQL they run on the manager's connection (the write's transaction) or,
 * outside a write, on one taken from the pool for the statement.
 */
export interface Sql {
  readonly engine: Engine;
  /** Every row, as objects named by the select list. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Every row as an array of its values, in select-list order (cheaper for millions of rows). */
  rows<T extends unknown[] = unknown[]>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** The statement for this process's engine, from a pair written side by side. */
export function perEngine<T>(variants: { sqlite: T; postgres: T }): T {
  return variants[ENGINE];
}

/** A repository function's database: the manager (its connection or transaction) or an Sql already made of one. */
export function sqlFrom(x: Sql | EntityManager): Sql {
  return 'rows' in x && 'engine' in x ? (x as Sql) : sqlOf(x as EntityManager);
}

export function sqlOf(m: EntityManager): Sql {
  return isPostgres ? new PostgresSql(m) : new SqliteSql(rawDb(m));
}

/**
 * A read connection of its own, outside TypeORM, for long reads in a worker thread (the ledger
 * export): a readonly better-sqlite3 connection on the same file (WAL lets it read while the app
 * writes), or one pg client. The worker loads neither TypeORM nor the entities. On either engine
 * an instant comes back as UTC text, 'YYYY-MM-DD HH:MM:SS…' (SQLite's stored form; PostgreSQL's
 * output in its session's UTC, with a '+00' after the seconds).
 */
export type ReadConnection = { engine: 'sqlite'; db: Database; close(): Promise<void> } | { engine: 'postgres'; client: Client; close(): Promise<void> };

/** PostgreSQL's type ids of timestamptz and timestamp. */
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;

export async function openReadConnection(target: DatabaseTarget, name: string): Promise<ReadConnection> {
  if (target.engine === 'sqlite') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const BetterSqlite = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new BetterSqlite(target.path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    return { engine: 'sqlite', db, close: async () => void db.close() };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as typeof import('pg');
  installPostgresNumbers(pg.types);
  // Instants as the server writes them in UTC ('2026-12-04 10:00:00.123+00'), not as Dates: the
  // driver's parse and a Date's formatting cost 2 µs a timestamp against 0.4 for the string
  // arithmetic the ledger already does on SQLite's stored text (ledger-encode.ts, dbTime), and a
  // ledger row holds three.
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ || oid === TIMESTAMP ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser;
  const client = new pg.Client({
    connectionString: target.url,
    options: '-c TimeZone=UTC -c statement_timeout=120000 -c default_transaction_read_only=on',
    application_name: name,
    types: { getTypeParser },
  });
  await client.connect();
  return { engine: 'postgres', client, close: () => client.end() };
}

/** The SQL seam over a connection of its own (see openReadConnection). */
export function sqlOfConnection(c: ReadConnection): Sql {
  return c.engine === 'sqlite' ? new SqliteSql(c.db) : new PostgresClientSql(c.client);
}

/**
 * PostgreSQL's count(*) and sum() are bigint and numeric, which node-postgres hands back as text
 * (they may exceed 2^53). Duban's counts and sums are far below that, and its code expects numbers,
 * as SQLite gives them.
 */
export function installPostgresNumbers(types: typeof import('pg').types): void {
  types.setTypeParser(20, (v) => Number(v));
  types.setTypeParser(1700, (v) => Number(v));
}

/** better-sqlite3 binds neither dates nor booleans: instants go in as TypeORM's UTC text. */
function sqliteParam(v: unknown): unknown {
  if (v instanceof Date) return toDbDateTime(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

class SqliteSql implements Sql {
  readonly engine = 'sqlite' as const;
  constructor(private readonly db: Database) {}

  /** The cached statement, in the mode asked for (raw arrays or objects: one statement may serve both). */
  private prepared(sql: string, raw = false) {
    const s = stmt(this.db, sql);
    // raw() exists only for statements that return rows
    return s.reader ? s.raw(raw) : s;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.prepared(sql).all(...params.map(sqliteParam)) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.prepared(sql).get(...params.map(sqliteParam)) as T | undefined;
  }

  async rows<T extends unknown[]>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.prepared(sql, true).all(...params.map(sqliteParam)) as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.prepared(sql).run(...params.map(sqliteParam)).changes;
  }
}

class PostgresSql implements Sql {
  readonly engine = 'postgres' as const;
  constructor(private readonly m: EntityManager) {}

  private async query(sql: string, params: readonly unknown[]): Promise<{ records: Record<string, unknown>[]; affected?: number }> {
    const own = !this.m.queryRunner;
    const qr: QueryRunner = this.m.queryRunner ?? this.m.connection.createQueryRunner();
    try {
      const result = await qr.query(sql, params as unknown[], true);
      return { records: result.records ?? [], affected: result.affected };
    } finally {
      if (own) await qr.release();
    }
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)).records as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.query(sql, params)).records[0] as T | undefined;
  }

  async rows<T extends unknown[]>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)).records.map((r) => Object.values(r)) as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const r = await this.query(sql, params);
    return r.affected ?? r.records.length;
  }
}

/**
 * One pg client of its own (a worker's), every statement read as postgres-sql.ts says. A client
 * runs one query at a time: statements started together (Promise.all) wait their turn here.
 */
class PostgresClientSql implements Sql {
  readonly engine = 'postgres' as const;
  private turn: Promise<unknown> = Promise.resolve();
  constructor(private readonly client: Client) {}

  private query(sql: string, params: readonly unknown[], rowMode?: 'array'): Promise<{ rows: unknown[]; rowCount: number | null }> {
    const text = toPostgresSql(sql);
    const values = params as unknown[];
    const run = (): Promise<{ rows: unknown[]; rowCount: number | null }> =>
      rowMode ? this.client.query({ text, values, rowMode }) : this.client.query({ text, values });
    const result = this.turn.then(run, run);
    this.turn = result.catch(() => undefined);
    return result;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async rows<T extends unknown[]>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params, 'array')).rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}

let patched = false;

/**
 * Every statement on PostgreSQL, Duban's own and those of the code that still calls
 * `manager.query` directly, is read as postgres-sql.ts says. TypeORM's own SQL passes unchanged.
 */
export function installPostgresDialect(): void {
  if (patched) return;
  patched = true;
  // required here, not imported: a worker thread that only reads (openReadConnection) loads no TypeORM
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner') as { PostgresQueryRunner: typeof PostgresQueryRunnerType };
  const proto = PostgresQueryRunner.prototype as unknown as { query: (q: string, p?: unknown[], s?: boolean) => Promise<unknown> };
  const original = proto.query;
  proto.query = function (this: unknown, query: string, parameters?: unknown[], structured?: boolean) {
    return original.call(this, toPostgresSql(query), parameters, structured);
  };
}
