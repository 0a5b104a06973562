/**
 * Jest runs TypeScript through ts-jest in transpile-only mode; `npm run typecheck` does the type checking.
 * Suites named `*.slow.test.ts` (whole bot processes under bursts, crashes, outages and restarts; a
 * compiled start) are left to `npm run test:slow` (jest.slow.config.js), which .ci/run runs after `npm test`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.slow\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/env.ts', '<rootDir>/test/support/seeded-inputs.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
