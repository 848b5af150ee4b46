/**
 * One scratch directory per jest run, as TMPDIR of every test worker and of everything they
 * spawn: cdktf's Testing helpers, terraform work dirs and the tests' own mkdtemp calls leave
 * hundreds of directories behind otherwise, and a crashed test leaves its files. Removed at the
 * end of the run (kept with RAS_KEEP_TEST_TMP=1, for reading a failure).
 */
const { mkdtempSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ras-jest-'));
  process.env.RAS_JEST_TMP = dir;
  // Workers are started after this and inherit the environment; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = dir;
};
