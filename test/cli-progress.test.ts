/**
 * Issue 18: progress on standard error (CI lines, --quiet, standard output unchanged), a worker
 * that dies ends the build at once with a named error and the previous output untouched, and
 * interrupted or concurrent runs never leave a half-written folder.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFleet } from '../bench/generate';
import { RAS, ras } from './helpers/cli';
import { REPO } from './helpers/workspace';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-progress-'));
  writeSyntheticFleet(dir, 64, join(REPO, 'fleet.yaml'));
  symlinkSync(join(REPO, 'ansible'), join(dir, 'ansible'));
  mkdirSync(join(dir, 'policies'));
  cpSync(join(REPO, 'policies', 'suppressions.yaml'), join(dir, 'policies', 'suppressions.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under the folders, path and content, as one hash. */
function snapshot(...folders: string[]): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(p).update(readFileSync(p));
    }
  };
  for (const f of folders) walk(join(dir, f));
  return hash.digest('hex');
}

const CI = { CI: 'true', RAS_PROGRESS_INTERVAL_MS: '1', RAS_SYNTH_WORKERS: '2' };
let buildSeconds = 0;

test('ras build prints progress lines in CI mode; --quiet prints none; standard output is the same', async () => {
  const started = Date.now();
  const loud = await ras(['build', '--format', 'json'], dir, CI);
  buildSeconds = (Date.now() - started) / 1000;
  expect(loud.exitCode).toBe(0);
  // One pass per chunk (synthesize, read back, judge, report): one phase.
  expect(loud.stderr).toMatch(/^ras build: building: \d+\/64 tenants \(\d+%\)/m);
  expect(loud.stderr).toMatch(/^ras build: building: 64\/64 tenants, done in \d+ s$/m);
  expect(loud.stderr).not.toContain('\r');
  const quiet = await ras(['build', '--format', 'json', '--quiet'], dir, CI);
  expect(quiet.exitCode).toBe(0);
  expect(quiet.stderr).toBe('reports/: 330 report file(s) written');
  expect(JSON.parse(quiet.stdout)).toEqual(JSON.parse(loud.stdout));
});

test('ras report shows progress while writing and takes --quiet', async () => {
  const r = await ras(['report', '--no-synth'], dir, CI);
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toMatch(/^ras report: writing reports: \d+\/64 tenants/m);
  expect((await ras(['report', '--no-synth', '--quiet'], dir, CI)).stderr).toBe('');
});

describe.each([
  ['exit', /worker 1 \(thread \d+\) died holding tenant\(s\) tenant-\d{5}(, tenant-\d{5})*: exited with code 70/, {}],
  ['oom', /worker 1 \(thread \d+\) died holding tenant\(s\) tenant-\d{5}(, tenant-\d{5})*: .*memory limit/, { RAS_WORKER_HEAP_MB: '192' }],
  ['throw', /worker 1 failed on tenant\(s\) tenant-\d{5}(, tenant-\d{5})*: Error: RAS_TEST_WORKER_FAULT=throw/, {}],
])('a worker that fails (%s)', (fault, message, env) => {
  test('ends the build at once, named, non-zero, with the previous output unchanged', async () => {
    const before = snapshot('cdktf.out', 'reports');
    const started = Date.now();
    const r = await ras(['build', '--quiet'], dir, { ...CI, ...env, RAS_TEST_WORKER_FAULT: fault });
    const seconds = (Date.now() - started) / 1000;
    expect(r.stderr).toMatch(message);
    expect(r.exitCode).toBe(1);
    // The fault comes on worker 1's second chunk: the run ends well before a whole build would, plus 5 s at most.
    expect(seconds).toBeLessThan(buildSeconds + 5);
    expect(snapshot('cdktf.out', 'reports')).toBe(before);
    expect(readdirSync(dir).filter((n) => /\.(staging|old)-|\.lock$/.test(n))).toEqual([]);
  });
});

test('ras report killed mid-write leaves the previous reports byte-identical; the next run clears its leftovers', async () => {
  const before = snapshot('reports');
  const child = spawn('node', [RAS, 'report', '--no-synth', '--quiet'], { cwd: dir, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  const staging = join(dir, `reports.staging-${child.pid}`);
  // Killed once some tenants' reports are in the staging folder.
  for (let i = 0; i < 600 && !(existsSync(staging) && readdirSync(staging).length > 5); i++) await new Promise((r) => setTimeout(r, 25));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(existsSync(staging)).toBe(true);
  expect(readFileSync(join(dir, 'reports.lock'), 'utf8').trim()).toBe(String(child.pid));
  expect(snapshot('reports')).toBe(before);
  const next = await ras(['report', '--no-synth', '--quiet'], dir);
  expect(next.exitCode).toBe(0);
  expect(existsSync(staging)).toBe(false);
  expect(existsSync(join(dir, 'reports.lock'))).toBe(false);
});

test('a second run while one writes the same folder is refused; a lock left by a dead process is taken over', async () => {
  writeFileSync(join(dir, 'cdktf.out.lock'), `${process.pid}\n`);
  try {
    const r = await ras(['build', '--quiet'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `ras build: cdktf.out is being written by another ras run (process ${process.pid}); wait for it to finish (or, if no such run exists, remove cdktf.out.lock)`,
    );
  } finally {
    rmSync(join(dir, 'cdktf.out.lock'));
  }
  const gone = spawn('node', ['-e', '']);
  await new Promise((r) => gone.once('exit', r));
  writeFileSync(join(dir, 'cdktf.out.lock'), `${gone.pid}\n`);
  expect((await ras(['synth', '--quiet'], dir)).exitCode).toBe(0);
  expect(existsSync(join(dir, 'cdktf.out.lock'))).toBe(false);
});
