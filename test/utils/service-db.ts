import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import { DbWriter } from '../../src/database/db-writer.service';
import { closeNumbering } from '../../src/database/sequences';
import { testDatabase, type TestDatabase } from './engine';
import { copyTemplate } from './test-app';

/** A service test's own database for each test (a copy of the template), its DataSource and a DbWriter on it. */
export interface ServiceDatabase {
  db: TestDatabase;
  ds: DataSource;
  writer: DbWriter;
}

/**
 * Registers beforeEach/afterEach that give each test a fresh copy of the `which` template on the
 * engine under test, and close it (with the numbering connections) and drop it afterwards.
 */
export function useServiceDatabase(which: 'demo' | 'empty'): ServiceDatabase {
  const s = {} as ServiceDatabase;
  beforeEach(async () => {
    s.db = await testDatabase(which, copyTemplate);
    s.ds = createDataSource(s.db.target);
    await s.ds.initialize();
    s.writer = new DbWriter(s.ds);
  });
  afterEach(async () => {
    await closeNumbering();
    await s.ds.destroy();
    await s.db.drop();
  });
  return s;
}
