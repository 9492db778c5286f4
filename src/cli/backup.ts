import 'reflect-metadata';
import { ConfigError, describeDatabase, loadConfig } from '../config/config';
import { backupDatabase, backupDir } from '../database/backup';
import { createDataSource } from '../database/data-source';

/**
 * npm run backup: a consistent copy of the live database, while the server keeps running, into
 * BACKUP_DIR (default data/backups). SQLite: a .sqlite file (VACUUM INTO); PostgreSQL: a pg_dump
 * archive (.pgdump). docs/OPERATIONS.md says how to restore each.
 */
async function main() {
  const config = loadConfig();
  const ds = createDataSource(config.database);
  await ds.initialize();
  try {
    const file = await backupDatabase(ds, config.database, { dir: backupDir() });
    console.log(`已备份 ${describeDatabase(config.database)} → ${file}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError || e instanceof Error ? e.message : e);
  process.exit(1);
});
