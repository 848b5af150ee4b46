/** `ras check` as a real child process on a copy of the examples: exit codes, findings, formats, suppressions. */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ras } from '../helpers/cli';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
let out: string;

beforeEach(async () => {
  ws = new Workspace();
  out = join(ws.dir, 'cdktf.out');
  const r = await ras(['synth'], ws.dir);
  expect(r.exitCode).toBe(0);
});
afterEach(() => ws.remove());

function openSshToInternet(): string {
  const file = join(out, 'stacks', 'sakura-trading', 'cdk.tf.json');
  const tf = JSON.parse(readFileSync(file, 'utf8'));
  tf.resource.aws_vpc_security_group_ingress_rule['Gateway_Ingress-internet-ssh_0000'] = { security_group_id: 'x', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 22, to_port: 22 };
  writeFileSync(file, JSON.stringify(tf));
  return 'aws_vpc_security_group_ingress_rule.Gateway_Ingress-internet-ssh_0000';
}

test('the examples pass: exit 0, every tenant PASS, kitakaze marked out of scope', async () => {
  const r = await ras(['check', '--no-synth'], ws.dir);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('checked 4 tenant(s): 4 passed, 0 failed');
  expect(r.stdout).toMatch(/kitakaze-logistics {2}\(active, OUT OF ISO\/IEC 27017 scope: linked service managed-vpn-pro .*\) {2}PASS/);
  expect(r.stdout).toContain("note GatewayCryptoWithinProfile: legacy cryptography under the contract's recorded opt-in");
});

test('SSH open to the internet: exit 1 naming rule, control, resource, found and required', async () => {
  const address = openSshToInternet();
  const r = await ras(['check', '--no-synth'], ws.dir);
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toContain('sakura-trading  (active, in ISO/IEC 27017 scope)  FAIL: 2 rule(s), control(s) CLD9.5.2');
  expect(r.stdout).toContain('FAIL NoManagementPortOpenToInternet  [control CLD9.5.2]  severity high');
  expect(r.stdout).toContain(`resource: ${address}`);
  expect(r.stdout).toContain('found:    0.0.0.0/0 → tcp/22');
  expect(r.stdout).toContain('required: ssh (tcp/22) only from a restricted network');
  expect(r.stdout).toContain('checked 4 tenant(s): 3 passed, 1 failed (sakura-trading)');
});

test('--format json lists the findings for machines', async () => {
  const address = openSshToInternet();
  const r = await ras(['check', '--no-synth', '--format', 'json'], ws.dir);
  expect(r.exitCode).toBe(1);
  const doc = JSON.parse(r.stdout);
  expect(doc.passed).toBe(false);
  const sakura = doc.tenants.find((t: any) => t.tenant === 'sakura-trading');
  expect(sakura.failedControls).toEqual(['CLD9.5.2']);
  expect(sakura.findings).toContainEqual(expect.objectContaining({ rule: 'NoManagementPortOpenToInternet', controls: ['CLD9.5.2'], resource: address, found: '0.0.0.0/0 → tcp/22' }));
  expect(doc.tenants.find((t: any) => t.tenant === 'kitakaze-logistics')).toMatchObject({ inScope: false, passed: true, findings: [] });
});

test('--tenant reports one tenant; its exit status is its own', async () => {
  openSshToInternet();
  const minato = await ras(['check', '--no-synth', '--tenant', 'minato-design'], ws.dir);
  expect(minato.exitCode).toBe(0);
  expect(minato.stdout).toContain('checked 1 tenant(s): 1 passed, 0 failed');
  expect(minato.stdout).not.toContain('sakura-trading');
  expect((await ras(['check', '--no-synth', '--tenant', 'sakura-trading'], ws.dir)).exitCode).toBe(1);
});

test('without the rendered gateway configuration the gateway rules fail closed', async () => {
  for (const t of ['sakura-trading', 'kitakaze-logistics']) rmSync(join(out, 'stacks', t, 'ansible'), { recursive: true, force: true });
  const r = await ras(['check', '--no-synth', '--format', 'json'], ws.dir);
  expect(r.exitCode).toBe(1);
  const doc = JSON.parse(r.stdout);
  for (const id of ['sakura-trading', 'kitakaze-logistics']) {
    const t = doc.tenants.find((x: any) => x.tenant === id);
    expect(t.failedControls.sort()).toEqual(['10.1.1', '12.4.3', '12.4.4', '18.1.5', '9.2.1', 'CLD9.5.2']);
    expect(new Set(t.findings.map((f: any) => f.found))).toEqual(new Set(['gateway configuration not rendered']));
  }
  expect(doc.tenants.find((x: any) => x.tenant === 'minato-design').passed).toBe(true);
});

test('without --no-synth it synthesizes first (the portal settings are rendered again)', async () => {
  rmSync(join(out, 'stacks', 'minato-design', 'portal.json'));
  const r = await ras(['check', '--tenant', 'minato-design'], ws.dir);
  expect(r.exitCode).toBe(0);
  expect(readdirSync(join(out, 'stacks', 'minato-design'))).toContain('portal.json');
});

test('a suppression with a reason clears its finding, is shown, and an unused one is reported', async () => {
  const address = openSshToInternet();
  mkdirSync(join(ws.dir, 'policies'));
  const entry = (rule: string, resource: string) => `  - rule: ${rule}\n    tenant: sakura-trading\n    resource: ${resource}\n    reason: Vendor access during the migration window, approved in change CHG-1234.\n`;
  writeFileSync(
    join(ws.dir, 'policies', 'suppressions.yaml'),
    `suppressions:\n${entry('NoManagementPortOpenToInternet', address)}${entry('PublicPortsMatchEnabledProtocols', address)}${entry('GatewayRequiresImdsV2', 'aws_instance.Nothing')}`,
  );
  const r = await ras(['check', '--no-synth'], ws.dir);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain(`suppressed NoManagementPortOpenToInternet on ${address}: Vendor access during the migration window`);
  expect(r.stdout).toContain('unused suppression: GatewayRequiresImdsV2 on sakura-trading aws_instance.Nothing');
});

test.each([
  ['a wildcard resource', 'rule: NoManagementPortOpenToInternet\n    tenant: sakura-trading\n    resource: "*"\n    reason: Everything is fine here, trust us.', '/suppressions/0/resource'],
  ['a reason that is no sentence', 'rule: NoManagementPortOpenToInternet\n    tenant: sakura-trading\n    resource: aws_x.y\n    reason: ok', '/suppressions/0/reason'],
  ['an unknown rule', 'rule: NoSuchRule\n    tenant: sakura-trading\n    resource: aws_x.y\n    reason: A reason that is long enough to read.', 'NoSuchRule is not a rule of the pack'],
  ['a wildcard tenant', 'rule: NoManagementPortOpenToInternet\n    tenant: "*"\n    resource: aws_x.y\n    reason: A reason that is long enough to read.', '/suppressions/0/tenant'],
])('a suppressions file with %s is refused (exit 1)', async (_name, body, message) => {
  mkdirSync(join(ws.dir, 'policies'));
  writeFileSync(join(ws.dir, 'policies', 'suppressions.yaml'), `suppressions:\n  - ${body}\n`);
  const r = await ras(['check', '--no-synth'], ws.dir);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain(message);
});

test.each([
  [['check', '--format', 'xml'], '--format must be text or json'],
  [['check', '--bogus'], 'unknown option --bogus'],
  [['check', '--no-synth', '--tenant', 'nobody'], 'unknown tenant(s): nobody'],
  [['check', 'extra'], 'unexpected argument extra'],
])('usage errors exit 2: %j', async (args, message) => {
  const r = await ras(args, ws.dir);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain(message);
});

test('--no-synth with nothing synthesized fails (exit 1), never passes', async () => {
  rmSync(out, { recursive: true });
  const r = await ras(['check', '--no-synth'], ws.dir);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('no synthesized stacks');
});

test('ras report writes the reports where asked and exits 0', async () => {
  const r = await ras(['report', '--no-synth', '--outdir', 'audit'], ws.dir);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('audit/kitakaze-logistics/report.{en,ja}.{html,md}, report.json  (passed, out of ISO/IEC 27017 scope)');
  expect(r.stdout).toContain('audit/index.{en,ja}.html: fleet overview; 30 file(s) written');
  expect(readdirSync(join(ws.dir, 'audit', 'sakura-trading')).sort()).toEqual(['report.en.html', 'report.en.md', 'report.ja.html', 'report.ja.md', 'report.json']);
  expect((await ras(['report', '--format', 'json'], ws.dir)).exitCode).toBe(2);
});
