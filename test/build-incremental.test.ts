/**
 * An incremental `ras build` keeps the output of every tenant whose inputs did not change (its
 * files are not even rewritten) and rebuilds the others, and what it leaves is byte for byte what
 * a clean build writes and prints. Inputs: a contract, another tenant's network, a suppression,
 * the fleet settings, the role defaults, the compiled code; and output that another command
 * replaced is not trusted.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import execa from 'execa';
import { stringify } from 'yaml';
import { writeSyntheticFleet } from '../bench/generate';
import { RAS } from './helpers/cli';
import { filesUnder } from './helpers/files';
import { REPO } from './helpers/workspace';

const TENANTS = 6;
const dir = mkdtempSync(join(tmpdir(), 'ras-incremental-'));
// Fleet pages of two tenants: three pages, so that a page of kept tenants can be seen kept.
const env = { SOURCE_DATE_EPOCH: '1798761600', CHECKPOINT_DISABLE: '1', RAS_CACHE_DIR: join(dir, 'cache'), RAS_FLEET_PAGE_TENANTS: '2' };
/** Report files: five a tenant, five for the fleet page's overview, four a page. */
const REPORT_FILES = TENANTS * 5 + 5 + 5 * Math.ceil(TENANTS / 2);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  writeSyntheticFleet(dir, TENANTS, join(REPO, 'fleet.yaml'));
  cpSync(join(REPO, 'ansible', 'roles'), join(dir, 'ansible', 'roles'), { recursive: true });
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'suppressions.yaml'), stringify({ suppressions: [] }));
});

async function build(out: string, ras = RAS) {
  const r = await execa('node', [ras, 'build', '--quiet', '--out', out], { cwd: dir, env, reject: false });
  expect([0, 1]).toContain(r.exitCode);
  return r;
}

/** The incremental build of `inc` and a clean build agree: same files, same output, same exit status. */
async function sameAsClean(incremental: execa.ExecaReturnValue): Promise<void> {
  rmSync(join(dir, 'clean'), { recursive: true, force: true });
  const clean = await build('clean');
  expect(clean.stderr).not.toContain('kept');
  expect(incremental.stdout).toBe(clean.stdout);
  expect(incremental.exitCode).toBe(clean.exitCode);
  expect(filesUnder(join(dir, 'inc'))).toEqual(filesUnder(join(dir, 'clean')));
}

/** When each tenant's stack file was last written. */
const written = () => new Map(Array.from({ length: TENANTS }, (_, i) => [id(i), statSync(join(dir, 'inc', 'cdktf.out', 'stacks', id(i), 'cdk.tf.json')).mtimeMs]));
const id = (i: number) => `tenant-${String(i).padStart(5, '0')}`;
const contract = (i: number) => join(dir, 'tenants', `${id(i)}.yaml`);
const edit = (file: string, from: RegExp | string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));

/** When each file of the fleet's own outputs (fleet stacks, image pipeline, scrape targets) was last written. */
function fleetWritten(): Map<string, number> {
  const out = join(dir, 'inc', 'cdktf.out');
  const files = [
    ...[...filesUnder(join(out, 'stacks')).keys()].filter((f) => f.startsWith('fleet_')).map((f) => join('stacks', f)),
    ...[...filesUnder(join(out, 'fleet')).keys()].map((f) => join('fleet', f)),
    ...[...filesUnder(join(out, 'monitoring', 'targets')).keys()].map((f) => join('monitoring', 'targets', f)),
  ];
  return new Map(files.map((f) => [f, statSync(join(out, f)).mtimeMs]));
}

/** When each page of the fleet page was last written. */
function pagesWritten(): Map<string, number> {
  const reports = join(dir, 'inc', 'reports');
  return new Map(readdirSync(reports).filter((f) => f.startsWith('fleet-page-')).sort().map((f) => [f, statSync(join(reports, f)).mtimeMs]));
}

/** Tenants whose stack was written again since `before`. */
function rewritten(before: Map<string, number>): string[] {
  const after = written();
  return [...before].filter(([t, ms]) => after.get(t) !== ms).map(([t]) => t);
}

test('a second build keeps every tenant; one changed contract rebuilds that tenant only', async () => {
  const first = await build('inc');
  expect(first.stderr).toBe(`inc/reports/: ${REPORT_FILES} report file(s) written`);
  let before = written();
  const again = await build('inc');
  expect(again.stderr).toBe(`inc/reports/: ${REPORT_FILES} report file(s) written (${TENANTS} tenant(s) unchanged since the last build, kept)`);
  expect(rewritten(before)).toEqual([]);

  before = written();
  const fleetBefore = fleetWritten();
  const pagesBefore = pagesWritten();
  edit(contract(3), /terminals: (\d+)/, 'terminals: 201');
  const one = await build('inc');
  expect(one.stderr).toContain(`(${TENANTS - 1} tenant(s) unchanged`);
  expect(rewritten(before)).toEqual([id(3)]);
  // Of the fleet page's pages only the changed tenant's (tenants 2 and 3) is written again.
  const pagesAfter = pagesWritten();
  expect([...pagesBefore].filter(([file, ms]) => pagesAfter.get(file) !== ms).map(([file]) => file)).toEqual(['fleet-page-0002.en.html', 'fleet-page-0002.en.md', 'fleet-page-0002.ja.html', 'fleet-page-0002.ja.md', 'fleet-page-0002.json']);
  // The fleet stacks, the image pipeline and the other tenants' scrape targets stay as written.
  const fleetAfter = fleetWritten();
  expect([...fleetBefore].filter(([file, ms]) => fleetAfter.get(file) !== ms).map(([file]) => file)).toEqual([join('monitoring', 'targets', `${id(3)}.json`)]);
  await sameAsClean(one);
}, 900_000);

test("another tenant's new VLAN and network rebuild only that tenant; a clash rebuilds both sides", async () => {
  let before = written();
  edit(contract(5), /vlanId: \d+/, 'vlanId: 3000');
  await build('inc');
  expect(rewritten(before)).toEqual([id(5)]);

  // A customer network of tenant 4 now overlaps tenant 2's VPC: NoRouteToAnotherTenant on 4 asks
  // about 2. Then tenant 2 moves its VPC: 4's question gets another answer, so 4 is judged again.
  edit(contract(4), '- 172.16.0.0/24', `- ${vpcOf(2)}`);
  before = written();
  const clash = await build('inc');
  expect(clash.exitCode).toBe(1);
  expect(rewritten(before)).toEqual([id(4)]);
  edit(contract(2), vpcOf(2), '10.79.0.0/24');
  before = written();
  const away = await build('inc');
  expect(rewritten(before).sort()).toEqual([id(2), id(4)]);
  await sameAsClean(away);
}, 900_000);

function vpcOf(i: number): string {
  return /vpcCidr: (\S+)/.exec(readFileSync(contract(i), 'utf8'))![1];
}

test('role defaults and fleet settings rebuild everyone; a suppression rebuilds its tenant', async () => {
  await build('inc');
  let before = written();
  // A weak ESP proposal in the role defaults: every gateway now has a finding.
  edit(join(dir, 'ansible', 'roles', 'strongswan', 'defaults', 'main.yml'), '      - aes256-sha1\n', '      - 3des-md5\n');
  const roles = await build('inc');
  expect(roles.exitCode).toBe(1);
  expect(rewritten(before)).toHaveLength(TENANTS);
  await sameAsClean(roles);

  before = written();
  const findings = JSON.parse((await execa('node', [RAS, 'check', '--no-synth', '--outdir', 'inc/cdktf.out', '--format', 'json'], { cwd: dir, env, reject: false })).stdout) as {
    tenants: { tenant: string; findings: { rule: string; resource: string }[] }[];
  };
  const failing = findings.tenants.find((t) => t.findings.length > 0)!;
  writeFileSync(
    join(dir, 'policies', 'suppressions.yaml'),
    stringify({ suppressions: failing.findings.map((f) => ({ rule: f.rule, tenant: failing.tenant, resource: f.resource, reason: 'Accepted for this test.' })) }),
  );
  const suppressed = await build('inc');
  expect(suppressed.stdout).toContain(`  suppressed ${failing.findings[0].rule}`);
  expect(rewritten(before)).toEqual([failing.tenant]);

  before = written();
  edit(join(dir, 'fleet.yaml'), '- ntp.nict.jp', '- ntp.example.jp');
  const settings = await build('inc');
  expect(settings.stderr).not.toContain('kept');
  expect(rewritten(before)).toHaveLength(TENANTS);
  await sameAsClean(settings);
}, 900_000);

test('changed code rebuilds everyone; output written by another command is not reused', async () => {
  // A copy of the compiled program with one construct file changed (a comment is enough).
  const program = join(dir, 'program');
  cpSync(join(REPO, 'dist'), join(program, 'dist'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(program, 'node_modules'));
  cpSync(join(REPO, 'package-lock.json'), join(program, 'package-lock.json'));
  cpSync(join(REPO, 'package.json'), join(program, 'package.json'));
  const ras = join(program, 'dist', 'cli', 'ras.js');
  await build('inc', ras);
  let before = written();
  expect((await build('inc', ras)).stderr).toContain(`(${TENANTS} tenant(s) unchanged`);
  expect(rewritten(before)).toEqual([]);
  writeFileSync(join(program, 'dist', 'constructs', 'gateway.js'), `${readFileSync(join(program, 'dist', 'constructs', 'gateway.js'), 'utf8')}\n// changed\n`);
  const changed = await build('inc', ras);
  expect(changed.stderr).not.toContain('kept');
  expect(rewritten(before)).toHaveLength(TENANTS);

  // `ras synth` replaces the stacks folder whole: the next build cannot know what it holds.
  await build('inc');
  expect((await execa('node', [RAS, 'synth', '--quiet', '--outdir', 'inc/cdktf.out'], { cwd: dir, env })).exitCode).toBe(0);
  before = written();
  const after = await build('inc');
  expect(after.stderr).not.toContain('kept');
  expect(rewritten(before)).toHaveLength(TENANTS);
  await sameAsClean(after);
}, 900_000);

test('a tenant that left the fleet leaves no stack or report behind', async () => {
  await build('inc');
  rmSync(contract(TENANTS - 1));
  const fewer = await build('inc');
  expect(fewer.stderr).toContain(`(${TENANTS - 1} tenant(s) unchanged`);
  await sameAsClean(fewer);
}, 900_000);
