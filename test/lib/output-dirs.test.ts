/** What interrupted runs leave beside an output folder is cleared by the next run (lib/output-dirs.ts). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockOutputs } from '../../lib/output-dirs';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ras-output-dirs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The id of a process that has ended. */
const gone = (): number => spawnSync('true').pid!;

test("a dead run's staging folders, with ras build's .fleet and .records beside them, are removed; a live run's are left", () => {
  const out = join(dir, 'cdktf.out');
  mkdirSync(out);
  const dead = gone();
  for (const leftover of [`cdktf.out.staging-${dead}`, `cdktf.out.staging-${dead}.fleet`, `cdktf.out.staging-${dead}.records`, `cdktf.out.old-${dead}`]) mkdirSync(join(dir, leftover));
  // Another live process's (this test's parent) and another folder's are not this run's to clear.
  const live = `cdktf.out.staging-${process.ppid}.fleet`;
  mkdirSync(join(dir, live));
  writeFileSync(join(dir, `reports.staging-${dead}`), '');
  lockOutputs([out])();
  expect(readdirSync(dir).sort()).toEqual(['cdktf.out', live, `reports.staging-${dead}`].sort());
});

test('a folder set aside by a run killed between its two renames is put back', () => {
  const out = join(dir, 'cdktf.out');
  const dead = gone();
  mkdirSync(join(dir, `cdktf.out.old-${dead}`));
  writeFileSync(join(dir, `cdktf.out.old-${dead}`, 'manifest.json'), '{}');
  lockOutputs([out])();
  expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  expect(readdirSync(dir)).toEqual(['cdktf.out']);
});
