import type { Database } from 'better-sqlite3';
import { types as pgTypes } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseTarget } from './engine';
import { ENTITIES } from './entities';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from './migrations';
import { installPostgresDialect, installPostgresNumbers } from './sql';

installPostgresNumbers(pgTypes);

/** Connections each instance keeps to PostgreSQL (PG_POOL_SIZE). */
function poolSize(env: NodeJS.ProcessEnv): number {
  const n = Number(env.PG_POOL_SIZE || 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/**
 * One place that knows how Duban talks to its database; shared by the app, the CLI scripts, the
 * TypeORM CLI and the tests. A string is a SQLite file path.
 */
export function buildDataSourceOptions(target: DatabaseTarget | string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const t: DatabaseTarget = typeof target === 'string' ? { engine: 'sqlite', path: target } : target;
  if (t.engine === 'postgres') {
    installPostgresDialect();
    return {
      type: 'postgres',
      url: t.url,
      entities: ENTITIES,
      migrations: POSTGRES_MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      logging: false,
      // Every instant is compared and stored in UTC, as on SQLite; the app formats Shanghai time itself.
      // synchronous_commit on whatever the server's default: an acknowledged write is on disk.
      extra: { max: poolSize(process.env), options: '-c TimeZone=UTC -c statement_timeout=120000 -c synchronous_commit=on', application_name: 'duban' },
      ...overrides,
    } as DataSourceOptions;
  }
  return {
    type: 'better-sqlite3',
    database: t.path,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Off: TypeORM's error log prints query parameters, which hold personal data (DOMAIN §7).
    logging: false,
    timeout: 10000,
    prepareDatabase: (db: Database) => {
      // Writers wait for each other instead of failing (a second instance, the scan CLI).
      db.pragma('busy_timeout = 10000');
      db.pragma('journal_mode = WAL');
      // FULL: a case acknowledged to the operator survives a power cut, not only a crash.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
    },
    ...overrides,
  } as DataSourceOptions;
}

export function createDataSource(target: DatabaseTarget | string, overrides: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(buildDataSourceOptions(target, overrides));
}
