/** Unit and integration tests (everything but the end-to-end gateway tests and the deploy tests). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/deploy/'],
  // Type checking is done once by `tsc` (npm run typecheck); jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/jest/tmp-setup.js',
  globalTeardown: '<rootDir>/test/jest/tmp-teardown.js',
  testTimeout: 120000,
};
