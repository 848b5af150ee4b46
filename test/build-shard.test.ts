/**
 * `ras build --shard I/N` on every shard, then `ras merge`, writes and prints exactly what one
 * `ras build` writes and prints: stacks, manifest.json, reports, fleet page, findings, exit status.
 * The example tenants, with a finding (a weakened crypto default) and an unused suppression, then
 * with that finding suppressed; N = 4 is more shards than tenants (one shard is empty).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ras } from './helpers/cli';
import { filesUnder } from './helpers/files';
import { REPO } from './helpers/workspace';

const dir = mkdtempSync(join(tmpdir(), 'ras-shard-'));
// Fleet pages of three tenants: the merged fleet page has two pages, as the one-process build's.
const env = { SOURCE_DATE_EPOCH: '1798761600', RAS_FLEET_PAGE_TENANTS: '3' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  cpSync(join(REPO, 'fleet.yaml'), join(dir, 'fleet.yaml'));
  cpSync(join(REPO, 'tenants'), join(dir, 'tenants'), { recursive: true });
  cpSync(join(REPO, 'ansible', 'roles'), join(dir, 'ansible', 'roles'), { recursive: true });
  const defaults = join(dir, 'ansible', 'roles', 'strongswan', 'defaults', 'main.yml');
  writeFileSync(defaults, readFileSync(defaults, 'utf8').replace('      - aes256-sha1\n', '      - 3des-md5\n'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(
    join(dir, 'policies', 'suppressions.yaml'),
    stringify({
      suppressions: [
        { rule: 'GatewayCryptoWithinProfile', tenant: 'no-such-tenant', resource: CRYPTO_DEFAULTS, reason: 'Names no tenant, so it is unused.' },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'policies', 'accepted.yaml'),
    stringify({ suppressions: [{ rule: 'GatewayCryptoWithinProfile', tenant: 'sakura-trading', resource: CRYPTO_DEFAULTS, reason: 'Accepted for this test of sharding.' }] }),
  );
});

const CRYPTO_DEFAULTS = 'ansible/roles/strongswan/defaults/main.yml';
const build = (...args: string[]) => ras(['build', '--quiet', ...args], dir, env);

let whole: Awaited<ReturnType<typeof ras>>;

test('one build has a finding and an unused suppression', async () => {
  whole = await build('--out', 'whole');
  expect(whole.exitCode).toBe(1);
  expect(whole.stdout).toContain('FAIL GatewayCryptoWithinProfile');
  expect(whole.stdout).toContain('unused suppression: GatewayCryptoWithinProfile on no-such-tenant');
  expect(whole.stdout).toContain('checked 4 tenant(s)');
}, 60_000);

test.each([1, 2, 4])('%i shard(s), merged, equal the one-process build byte for byte', async (n) => {
  const shards = Array.from({ length: n }, (_, i) => `shard-${n}-${i + 1}`);
  const held: string[] = [];
  for (const [i, out] of shards.entries()) {
    const r = await build('--shard', `${i + 1}/${n}`, '--out', out);
    expect(r.stderr).toMatch(/report file\(s\) written$/);
    expect([0, 1]).toContain(r.exitCode);
    held.push(...(JSON.parse(readFileSync(join(dir, out, 'shard.json'), 'utf8')) as { verdicts: { tenant: string }[] }).verdicts.map((v) => v.tenant));
  }
  // Every tenant in exactly one shard, in name order.
  expect(held).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
  // Given in any order.
  const merged = await ras(['merge', '--out', `merged-${n}`, ...[...shards].reverse()], dir, env);
  expect(merged.exitCode).toBe(whole.exitCode);
  expect(merged.stdout).toBe(whole.stdout);
  expect(merged.stderr).toBe(`merged-${n}/reports/: 35 report file(s) written`); // 4 tenants x 5, the overview's 5, two pages x 5
  const files = filesUnder(join(dir, `merged-${n}`));
  // The four tenant stacks, the two regions' fleet stacks and the image pipeline, as one build writes them.
  expect([...files.keys()].filter((f) => f.endsWith('cdk.tf.json')).sort()).toEqual([
    'cdktf.out/fleet/stacks/image-pipeline/cdk.tf.json',
    'cdktf.out/stacks/fleet_ap-northeast-1/cdk.tf.json',
    'cdktf.out/stacks/fleet_ap-northeast-3/cdk.tf.json',
    'cdktf.out/stacks/kitakaze-logistics/cdk.tf.json',
    'cdktf.out/stacks/minato-design/cdk.tf.json',
    'cdktf.out/stacks/sakura-trading/cdk.tf.json',
    'cdktf.out/stacks/tsubame-travel/cdk.tf.json',
  ]);
  expect(files.has(join('cdktf.out', 'manifest.json'))).toBe(true);
  // Every gateway's scrape target, whichever shard built it.
  expect([...files.keys()].filter((f) => f.startsWith('cdktf.out/monitoring/targets/')).length).toBeGreaterThan(0);
  expect(files.has('cdktf.out/monitoring/prometheus.yml')).toBe(true);
  expect(files).toEqual(filesUnder(join(dir, 'whole')));
}, 120_000);

test('a suppression used in one shard is used in the merge; json output merges the same way', async () => {
  const accepted = ['--suppressions', 'policies/accepted.yaml'];
  const [a, b] = [await build(...accepted, '--shard', '1/2', '--out', 'j1'), await build(...accepted, '--shard', '2/2', '--out', 'j2')];
  expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
  const merged = await ras(['merge', 'j1', 'j2', '--out', 'jm', '--format', 'json'], dir, env);
  const one = await build(...accepted, '--out', 'jw', '--format', 'json');
  expect(merged.exitCode).toBe(0);
  const verdict = JSON.parse(merged.stdout) as { passed: boolean; unusedSuppressions: unknown[]; tenants: { suppressed: unknown[] }[] };
  expect(verdict.passed).toBe(true);
  expect(verdict.unusedSuppressions).toEqual([]);
  expect(verdict.tenants.flatMap((t) => t.suppressed)).toHaveLength(1);
  expect(merged.stdout).toBe(one.stdout);
  expect(filesUnder(join(dir, 'jm'))).toEqual(filesUnder(join(dir, 'jw')));
}, 60_000);

test('shards that do not make up one fleet are refused, and nothing is written', async () => {
  const missing = await ras(['merge', '--out', 'refused', 'shard-4-1', 'shard-4-2', 'shard-4-3'], dir, env);
  expect(missing.exitCode).toBe(1);
  expect(missing.stderr).toContain('shard-4-1 is shard 1/4, but 3 shard folder(s) were given');
  const twice = await ras(['merge', '--out', 'refused', 'shard-2-1', 'shard-2-1'], dir, env);
  expect(twice.stderr).toContain('shard 2/2 is missing');
  // Shard 2 of a fleet whose contract changed since shard 1 was built.
  const tenant = join(dir, 'tenants', 'sakura-trading.yaml');
  const text = readFileSync(tenant, 'utf8');
  writeFileSync(tenant, text.replace(/terminals: (\d+)/, (_m, t) => `terminals: ${Number(t) + 1}`));
  try {
    expect((await build('--shard', '2/2', '--out', 'changed-2')).stderr).toMatch(/written$/);
  } finally {
    writeFileSync(tenant, text);
  }
  const mixed = await ras(['merge', '--out', 'refused', 'shard-2-1', 'changed-2'], dir, env);
  expect(mixed.exitCode).toBe(1);
  expect(mixed.stderr).toContain('changed-2 was built from other contracts, fleet settings or suppressions than shard-2-1');
  // Shard 2 as another version of the code would have built it.
  cpSync(join(dir, 'shard-2-2'), join(dir, 'other-code-2'), { recursive: true });
  const record = JSON.parse(readFileSync(join(dir, 'other-code-2', 'shard.json'), 'utf8'));
  record.provenance.code.commit = '0'.repeat(40);
  writeFileSync(join(dir, 'other-code-2', 'shard.json'), JSON.stringify(record));
  const otherCode = await ras(['merge', '--out', 'refused', 'shard-2-1', 'other-code-2'], dir, env);
  expect(otherCode.exitCode).toBe(1);
  expect(otherCode.stderr).toContain('other-code-2 was built by other code than shard-2-1');
  const notShard = await ras(['merge', '--out', 'refused', 'whole'], dir, env);
  expect(notShard.stderr).toMatch(/whole\/shard\.json: not a shard record \(ENOENT\)/);
  expect(existsSync(join(dir, 'refused'))).toBe(false);
}, 120_000);

test('bad shard arguments are usage errors', async () => {
  for (const [args, message] of [
    [['--shard', '3/2', '--out', 'x'], '--shard must be I/N with 1 <= I <= N (got "3/2")'],
    [['--shard', '0/2', '--out', 'x'], '--shard must be I/N'],
    [['--shard', '1/2'], '--shard writes a shard folder: give it with --out DIR'],
    [['--out', 'x', '--outdir', 'y'], '--out names both folders'],
  ] as const) {
    const r = await build(...args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
  }
}, 60_000);
