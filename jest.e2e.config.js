/** End-to-end tests: real Debian root filesystem, Ansible, strongSwan in network namespaces. Root only. */
const base = require('./jest.config.js');
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 1800000,
  maxWorkers: 1,
  // The e2e tests run programs inside the Debian root filesystem, where a host TMPDIR does not
  // exist; they keep their own work under /var/tmp and remove it.
  globalSetup: undefined,
  globalTeardown: undefined,
};
