/**
 * `ras build` on every core writes exactly what the one-thread build writes, and what `ras synth`,
 * `ras report --no-synth` and `ras check --no-synth` write and print one after another: stacks,
 * gateway variables, reports and check output, byte for byte. The fleet has findings (a weakened
 * crypto default), and suppressions for tenants spread over the chunks (so over both threads,
 * whichever chunks each takes) plus one for no tenant, which stays unused.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeSyntheticFleet } from '../bench/generate';
import { ras } from './helpers/cli';
import { filesUnder } from './helpers/files';
import { REPO } from './helpers/workspace';

const TENANTS = 60;
const dir = mkdtempSync(join(tmpdir(), 'ras-build-'));
const env = { SOURCE_DATE_EPOCH: '1798761600' };
const contracts = ['--fleet', 'fleet.yaml', '--tenants', 'tenants'];
afterAll(() => rmSync(dir, { recursive: true, force: true }));


beforeAll(async () => {
  writeSyntheticFleet(dir, TENANTS, join(REPO, 'fleet.yaml'));
  cpSync(join(REPO, 'ansible', 'roles'), join(dir, 'ansible', 'roles'), { recursive: true });
  // The rules read the role defaults under ./ansible/roles: a weak ESP proposal there fails every gateway.
  const defaults = join(dir, 'ansible', 'roles', 'strongswan', 'defaults', 'main.yml');
  writeFileSync(defaults, readFileSync(defaults, 'utf8').replace('      - aes256-sha1\n', '      - 3des-md5\n'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'suppressions.yaml'), stringify({ suppressions: [] }));
  const check = await ras(['check', ...contracts, '--outdir', 'probe', '--format', 'json'], dir, env);
  expect(check.exitCode).toBe(1);
  const failing = (JSON.parse(check.stdout) as { tenants: { tenant: string; findings: { rule: string; resource: string }[] }[] }).tenants.filter((t) => t.findings.length > 0);
  // Tenants from the first, middle and last chunks, and one that does not exist.
  const picks = [failing[0], failing[Math.floor(failing.length / 2)], failing[failing.length - 1]];
  expect(new Set(picks.map((t) => t.tenant)).size).toBe(3);
  const suppressions = [
    ...picks.map((t) => ({ rule: t.findings[0].rule, tenant: t.tenant, resource: t.findings[0].resource, reason: 'Accepted for this test of the build pipeline.' })),
    { rule: picks[0].findings[0].rule, tenant: 'tenant-99999', resource: picks[0].findings[0].resource, reason: 'Names no tenant of the fleet, so it is unused.' },
  ];
  writeFileSync(join(dir, 'policies', 'suppressions.yaml'), stringify({ suppressions }));
}, 120_000);

test('the parallel build, the one-thread build and synth + report + check agree byte for byte', async () => {
  // A cold parse cache: the contracts are parsed on both threads too.
  const parallel = await ras(['build', ...contracts, '--quiet', '--outdir', 'p/out', '--reports', 'p/reports'], dir, { ...env, RAS_SYNTH_WORKERS: '2', RAS_CACHE_DIR: mkdtempSync(join(dir, 'cache-')) });
  const serial = await ras(['build', ...contracts, '--quiet', '--outdir', 's/out', '--reports', 's/reports'], dir, { ...env, RAS_SYNTH_WORKERS: '1' });
  expect(parallel.exitCode).toBe(1); // findings remain on the tenants that are not suppressed
  expect(serial.exitCode).toBe(1);
  expect(parallel.stdout).toContain(`checked ${TENANTS} tenant(s)`);
  expect(parallel.stdout).toContain('unused suppression: ');
  expect(parallel.stdout.match(/^ {2}suppressed /gm)).toHaveLength(3);
  expect(parallel.stdout).toBe(serial.stdout);
  expect(parallel.stderr).toBe('p/reports/: 310 report file(s) written');
  expect(serial.stderr).toBe('s/reports/: 310 report file(s) written');

  expect((await ras(['synth', ...contracts, '--outdir', 'c/out'], dir, env)).exitCode).toBe(0);
  expect((await ras(['report', ...contracts, '--no-synth', '--from', 'c/out', '--outdir', 'c/reports'], dir, env)).exitCode).toBe(0);
  const check = await ras(['check', ...contracts, '--no-synth', '--outdir', 'c/out'], dir, env);
  expect(check.stdout).toBe(parallel.stdout);

  const p = filesUnder(join(dir, 'p'));
  expect([...p.keys()].filter((f) => f.endsWith('report.json'))).toHaveLength(TENANTS);
  // The tenants' stacks; the fleet's image pipeline stack is written beside them (out/fleet/).
  expect([...p.keys()].filter((f) => f.startsWith('out/stacks/') && !f.startsWith('out/stacks/fleet_') && f.endsWith('cdk.tf.json'))).toHaveLength(TENANTS);
  expect(p).toEqual(filesUnder(join(dir, 's')));
  expect(p).toEqual(filesUnder(join(dir, 'c')));
  // No staging or chunk folder is left behind.
  expect(readdirSync(join(dir, 'p')).sort()).toEqual(['out', 'reports']);
  expect(readdirSync(join(dir, 'p', 'out')).sort()).toEqual(['fleet', 'manifest.json', 'monitoring', 'stacks']);
}, 240_000);

test('a refused contract leaves the previous stacks and reports as they were', async () => {
  const before = filesUnder(join(dir, 'p'));
  const tenant = join(dir, 'tenants', 'tenant-00001.yaml');
  const text = readFileSync(tenant, 'utf8');
  writeFileSync(tenant, text.replace(/terminals: \d+/, 'terminals: many'));
  try {
    const r = await ras(['build', ...contracts, '--quiet', '--outdir', 'p/out', '--reports', 'p/reports'], dir, { ...env, RAS_SYNTH_WORKERS: '2' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/tenant-00001\.yaml:\d+:\d+ .*terminals/);
    expect(filesUnder(join(dir, 'p'))).toEqual(before);
  } finally {
    writeFileSync(tenant, text);
  }
}, 120_000);

test('a YAML error in a contract parsed on a worker is reported as on one thread, with its line', async () => {
  const tenant = join(dir, 'tenants', `tenant-${String(TENANTS - 1).padStart(5, '0')}.yaml`);
  const text = readFileSync(tenant, 'utf8');
  writeFileSync(tenant, `${text}\nbroken: [unclosed\n`);
  try {
    const run = (workers: string) =>
      ras(['build', ...contracts, '--quiet', '--outdir', 'y/out', '--reports', 'y/reports'], dir, { ...env, RAS_SYNTH_WORKERS: workers, RAS_CACHE_DIR: mkdtempSync(join(dir, 'cache-')) });
    const [parallel, serial] = [await run('2'), await run('1')];
    expect(parallel.exitCode).toBe(1);
    expect(parallel.stderr).toMatch(/tenant-00059\.yaml:\d+:\d+ .*RAS001/);
    expect(parallel.stderr).toBe(serial.stderr);
  } finally {
    writeFileSync(tenant, text);
  }
}, 120_000);
