/** One Jest run for every tier: unit, service, e2e (supertest) and browser (Chromium). */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  testRegex: ['test/.*\\.(spec|e2e-spec|browser-spec)\\.ts$', 'src/.*\\.spec\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  setupFiles: ['<rootDir>/test/utils/env.ts'],
  reporters: ['default', '<rootDir>/test/utils/summary-reporter.js'],
  maxWorkers: 2,
  testTimeout: 30000,
};
