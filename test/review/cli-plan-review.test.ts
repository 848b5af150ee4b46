/** `ras plan-review` through the built CLI: exit codes, outputs, notices, git refs. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import execa from 'execa';
import { ras } from '../helpers/cli';
import { REPO, type Workspace } from '../helpers/workspace';
import { synthesizedWorkspace } from './sides';

let base: Workspace;
let risky: Workspace;
let out: string;
const enablePptp = (ws: Workspace) => {
  ws.edit('sakura-trading', ['gateway', 'protocols'], ['ikev2', 'l2tp-ipsec', 'pptp']);
  ws.edit('sakura-trading', ['gateway', 'crypto'], { profile: 'legacy', legacyOptIn: { approvedBy: 'CIO', reason: 'old handhelds' } });
};

beforeAll(() => {
  base = synthesizedWorkspace();
  risky = synthesizedWorkspace(enablePptp);
  out = mkdtempSync(join(tmpdir(), 'ras-review-out-'));
});
afterAll(() => {
  base.remove();
  risky.remove();
  rmSync(out, { recursive: true, force: true });
});

const baseOut = () => join(base.dir, 'cdktf.out');
const riskyOut = () => join(risky.dir, 'cdktf.out');

describe('exit status', () => {
  test('no-op: "No changes." and exit 0', async () => {
    const r = await ras(['plan-review', '--base', baseOut(), '--head', baseOut()], base.dir);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('**No changes.** 4 tenant(s) unchanged.');
  });

  test('a risk: exit 1, the Markdown names the tenant, resource, attribute and control', async () => {
    const r = await ras(['plan-review', '--base', baseOut(), '--head', riskyOut()], base.dir);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('**⚠️ Risk found:**');
    expect(r.stdout).toMatch(/ingress-widened\*\* `sakura-trading`: `aws_vpc_security_group_ingress_rule\.Gateway_Ingress-internet-pptp_[0-9A-F]+` · `cidr_ipv4[^`]*`: .*tcp\/1723 from 0\.0\.0\.0\/0.*controls CLD9\.5\.2, 13\.1\.3/);
    expect(r.stdout).toContain('3 tenant(s) unchanged.');
  });

  test('a checkout folder is accepted for its cdktf.out', async () => {
    const r = await ras(['plan-review', '--base', base.dir, '--head', risky.dir, '--format', 'json'], base.dir);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).tenants.map((t: any) => t.tenant)).toEqual(['sakura-trading']);
  });

  test.each([
    [['--base', 'x'], /--base and --head are both required/],
    [['--base', '/nonexistent/out', '--head', '/nonexistent/out'], /neither a folder of synthesized output nor a git ref/],
    [['--bogus'], /unknown option --bogus/],
    [['--format', 'xml', '--base', 'a', '--head', 'b'], /--format xml: expected markdown or json/],
  ])('usage error %p: exit 2', async (args, message) => {
    const r = await ras(['plan-review', ...args], base.dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('two checkout folders without synthesized output: exit 2, naming the path and what was expected', async () => {
    // A checkout as CI has it before `ras synth`: contracts and the construct sources, whose
    // stacks/ folder (.ts files) must not pass for output with 0 tenants ("No changes", exit 0).
    const checkout = (name: string) => {
      const dir = join(out, name);
      for (const f of ['fleet.yaml', 'tenants', 'stacks']) cpSync(join(REPO, f), join(dir, f), { recursive: true });
      return dir;
    };
    const [b, h] = [checkout('base-checkout'), checkout('head-checkout')];
    const r = await ras(['plan-review', '--base', b, '--head', h], base.dir);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).not.toContain('No changes');
    expect(r.stderr).toContain(`${b}: not synthesized output (expected cdktf.out/manifest.json or stacks/<tenant>/cdk.tf.json; run \`ras synth\` there first`);
  });

  test('an output folder with no tenant stack, or an empty folder: exit 2', async () => {
    const empty = join(out, 'empty-output');
    mkdirSync(join(empty, 'stacks'), { recursive: true });
    writeFileSync(join(empty, 'manifest.json'), '{"version": "0.21.0", "stacks": {}}');
    const r1 = await ras(['plan-review', '--base', empty, '--head', empty], base.dir);
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toContain(`${empty}: no tenant stack (expected ${join(empty, 'stacks')}/<tenant>/cdk.tf.json`);
    const bare = join(out, 'bare');
    mkdirSync(bare, { recursive: true });
    const r2 = await ras(['plan-review', '--base', baseOut(), '--head', bare], base.dir);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain(`${bare}: not synthesized output`);
  });

  test('a fleet-only base (fleet stacks, no tenant yet) is the base of a first tenant: every tenant reviewed as added', async () => {
    const fleetOnly = join(out, 'fleet-only');
    cpSync(baseOut(), fleetOnly, { recursive: true, filter: (src) => !/\/stacks\/(?!fleet_)[^/]+/.test(src.slice(baseOut().length)) });
    expect(readdirSync(join(fleetOnly, 'stacks')).sort()).toEqual(['fleet_ap-northeast-1', 'fleet_ap-northeast-3']);
    const r = await ras(['plan-review', '--base', fleetOnly, '--head', baseOut(), '--format', 'json'], base.dir);
    expect(r.stderr).not.toContain('no tenant stack');
    expect(r.exitCode).toBeLessThan(2);
    const review = JSON.parse(r.stdout);
    expect(review.tenants.map((t: any) => [t.tenant, t.stack])).toEqual(expect.arrayContaining([['sakura-trading', 'added'], ['kitakaze-logistics', 'added']]));
    const sakura = review.tenants.find((t: any) => t.tenant === 'sakura-trading');
    expect(sakura.serviceImpact).toContain('service-started');
    expect(sakura.changes.length).toBeGreaterThan(10);
    expect([...new Set(sakura.changes.map((c: any) => c.action))]).toEqual(['add']);
    // Nothing to compare on either side is still refused.
    const both = await ras(['plan-review', '--base', fleetOnly, '--head', fleetOnly], base.dir);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain(`neither ${fleetOnly} nor ${fleetOnly} holds a tenant stack`);
  });

  test('plans that are not plans, or for unknown tenants: exit 2', async () => {
    const notPlan = join(out, 'not-a-plan.json');
    writeFileSync(notPlan, '{"hello": 1}');
    const r1 = await ras(['plan-review', '--base', baseOut(), '--head', riskyOut(), '--plan', `sakura-trading=${notPlan}`], base.dir);
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toContain('not a Terraform plan document');
    const empty = join(out, 'empty-plan.json');
    writeFileSync(empty, '{"format_version": "1.2", "resource_changes": []}');
    const r2 = await ras(['plan-review', '--base', baseOut(), '--head', riskyOut(), '--plan', `nobody=${empty}`], base.dir);
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain('plan given for nobody');
    const r3 = await ras(['plan-review', '--base', baseOut(), '--head', riskyOut(), '--plan', 'sakura-trading'], base.dir);
    expect(r3.exitCode).toBe(2);
    expect(r3.stderr).toContain('expected <tenant>=<file>');
  });
});

test('--out, --json and --notices write their files; notices go to the registered operators', async () => {
  const r = await ras(
    ['plan-review', '--base', baseOut(), '--head', riskyOut(), '--out', join(out, 'review.md'), '--json', join(out, 'review.json'), '--notices', join(out, 'notices')],
    base.dir,
  );
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe('');
  expect(readFileSync(join(out, 'review.md'), 'utf8')).toContain('sakura-trading');
  const json = JSON.parse(readFileSync(join(out, 'review.json'), 'utf8'));
  expect(json.risky).toBe(true);
  expect(json.notices.map((n: any) => n.tenant)).toEqual(['sakura-trading']);
  const ja = readFileSync(join(out, 'notices', 'sakura-trading.ja.md'), 'utf8');
  const en = readFileSync(join(out, 'notices', 'sakura-trading.en.md'), 'utf8');
  expect(ja.split('\n')[0]).toBe('To: it-admin@sakura-trading.example, helpdesk@sakura-trading.example');
  expect(ja).toContain('インターネットから利用できるプロトコル・ポート');
  expect(en).toContain('Subject: [Service change notice]');
  expect(en).toContain('reachable from the internet');
  expect(existsSync(join(out, 'notices', 'kitakaze-logistics.ja.md'))).toBe(false);
});

describe('git refs', () => {
  let repo: string;
  beforeAll(async () => {
    // A repository of this working tree (tracked and new files), base commit, then the risky edit.
    repo = mkdtempSync(join(tmpdir(), 'ras-review-repo-'));
    const files = (await execa('git', ['ls-files', '-co', '--exclude-standard'], { cwd: REPO })).stdout.split('\n').filter((f) => f !== '' && existsSync(join(REPO, f)));
    for (const f of files) {
      mkdirSync(dirname(join(repo, f)), { recursive: true });
      cpSync(join(REPO, f), join(repo, f));
    }
    symlinkSync(join(REPO, 'node_modules'), join(repo, 'node_modules'), 'dir');
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: repo });
    await git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    const pptp = synthesizedWorkspace(enablePptp);
    cpSync(pptp.tenantFile('sakura-trading'), join(repo, 'tenants', 'sakura-trading.yaml'));
    pptp.remove();
    await git('commit', '-q', '-am', 'sakura: PPTP');
  }, 60000);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('each ref is synthesized with its own code and contracts', async () => {
    // A private TMPDIR for the CLI, to see that it removes its temporary checkouts.
    const scratch = mkdtempSync(join(tmpdir(), 'ras-review-scratch-'));
    const r = await ras(['plan-review', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json', '--notices', join(repo, 'notices')], repo, { TMPDIR: scratch });
    expect(r.stderr).toContain('building and synthesizing with its own code');
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.base).toBe('HEAD~1');
    expect(json.tenants.map((t: any) => t.tenant)).toEqual(['sakura-trading']);
    expect(json.tenants[0].recipients).toEqual(['it-admin@sakura-trading.example', 'helpdesk@sakura-trading.example']);
    expect(readFileSync(join(repo, 'notices', 'sakura-trading.en.md'), 'utf8')).toContain('To: it-admin@sakura-trading.example');
    // The temporary checkouts of both refs were made there, and are removed.
    const made = [...r.stderr.matchAll(/extracting into (\S+),/g)].map((m) => m[1]);
    expect(made).toHaveLength(2);
    for (const dir of made) expect(dir.startsWith(scratch)).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
    rmSync(scratch, { recursive: true, force: true });
  }, 120000);

  test('the same ref on both sides: no changes, exit 0', async () => {
    const r = await ras(['plan-review', '--base', 'main', '--head', 'HEAD'], repo);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('No changes.');
  }, 120000);

  test('an unknown ref: exit 2', async () => {
    const r = await ras(['plan-review', '--base', 'no-such-branch', '--head', 'HEAD'], repo);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no-such-branch is neither a folder of synthesized output nor a git ref');
  });
});
