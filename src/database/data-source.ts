import type { Database } from 'better-sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * One place that knows how Duban talks to SQLite; shared by the app, the CLI scripts, the
 * TypeORM CLI and the tests.
 */
export function buildDataSourceOptions(databasePath: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: databasePath,
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

export function createDataSource(databasePath: string, overrides: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(buildDataSourceOptions(databasePath, overrides));
}
