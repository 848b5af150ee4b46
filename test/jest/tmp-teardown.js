/** Removes the run's scratch directory (test/jest/tmp-setup.js). */
const { rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.RAS_JEST_TMP;
  if (dir === undefined || process.env.RAS_KEEP_TEST_TMP === '1') return;
  rmSync(dir, { recursive: true, force: true });
};
