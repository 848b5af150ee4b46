/** The auditor reports: every file, all 42 controls with status and evidence, scope, suppressions, escaping, no secrets. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { evaluateFleet } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { createHash } from 'node:crypto';
import { md } from '../../report/escape';
import { collectProvenance, type Provenance } from '../../report/provenance';
import { writeReports } from '../../report/write';
import { synthTenants } from '../../stacks/synth';
import { Workspace } from '../helpers/workspace';
import { activeTenant, toView } from './fixtures';

/** 2026-11-27T00:00:00Z, shown in JST. */
const EPOCH = { SOURCE_DATE_EPOCH: '1795737600' };
let AT: Provenance;
let ws: Workspace;
let dir: string;

beforeAll(() => {
  ws = new Workspace();
  AT = collectProvenance(ws.paths, EPOCH);
  const outdir = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir });
  dir = join(ws.dir, 'reports');
  // The role defaults as `ras check` reads them (operator work sources, packages: 12.4.3).
  const views = readFleetViews(outdir, { rolesDir: join(__dirname, '..', '..', 'ansible', 'roles') });
  const unused = { rule: 'GatewayRequiresImdsV2', tenant: 'sakura-trading', resource: 'aws_instance.Old', reason: 'Kept for the audit trail of the old gateway.' };
  writeReports(evaluateFleet(views, [unused]), dir, AT);
});
afterAll(() => ws.remove());

const read = (...p: string[]): string => readFileSync(join(dir, ...p), 'utf8');
const TENANTS = ['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel'];

test('writes per tenant HTML, Markdown and JSON in both languages, and the fleet page', () => {
  const fleetPage = ['fleet-page-0001.en.html', 'fleet-page-0001.en.md', 'fleet-page-0001.ja.html', 'fleet-page-0001.ja.md', 'fleet-page-0001.json'];
  expect(readdirSync(dir).sort()).toEqual(['fleet.en.md', 'fleet.ja.md', 'fleet.json', 'index.en.html', 'index.ja.html', ...fleetPage, ...TENANTS].sort());
  for (const t of TENANTS) expect(readdirSync(join(dir, t)).sort()).toEqual(['report.en.html', 'report.en.md', 'report.ja.html', 'report.ja.md', 'report.json']);
});

test('every tenant report lists all 42 controls; procedural ones are never passed checks', () => {
  for (const t of TENANTS) {
    const doc = JSON.parse(read(t, 'report.json'));
    expect(doc.controls).toHaveLength(42);
    for (const c of doc.controls) {
      if (c.evidenceKind === 'procedural') expect({ id: c.id, status: c.status, rules: c.rules }).toEqual({ id: c.id, status: 'procedural', rules: [] });
      else expect(['compliant', 'compliant_by_exception', 'not_applicable']).toContain(c.status);
    }
    for (const lang of ['en', 'ja']) {
      expect(read(t, `report.${lang}.html`).match(/<section class="control"/g)).toHaveLength(42);
      expect(read(t, `report.${lang}.md`).match(/^### /gm)?.length).toBeGreaterThanOrEqual(42);
    }
  }
});

test('evidence leads back to resources and attribute values', () => {
  const minato = JSON.parse(read('minato-design', 'report.json'));
  const erasure = minato.controls.find((c: any) => c.id === 'CLD8.1.5');
  expect(erasure.status).toBe('compliant');
  const rule = erasure.rules.find((r: any) => r.id === 'LogArchiveErasedWithin45DaysOfTermination');
  expect(rule.evidence).toContainEqual(expect.objectContaining({ resource: expect.stringMatching(/^aws_s3_bucket_lifecycle_configuration\.LogArchive_Lifecycle_/), value: '2026-12-25T00:00:00Z' }));
  expect(read('minato-design', 'report.en.html')).toContain('2026-12-25T00:00:00Z');
  const sakura = JSON.parse(read('sakura-trading', 'report.json'));
  const imds = sakura.controls.find((c: any) => c.id === 'CLD9.5.2').rules.find((r: any) => r.id === 'GatewayRequiresImdsV2');
  expect(imds.evidence).toContainEqual(expect.objectContaining({ resource: expect.stringMatching(/^aws_instance\.Gateway_Instance_/), path: 'metadata_options.http_tokens', value: 'required' }));
});

test('scope and responsibility split are stated; out-of-scope tenants are marked in both languages', () => {
  const k = JSON.parse(read('kitakaze-logistics', 'report.json'));
  expect(k.scope).toEqual({ inScope: false, reasons: ['linked service managed-vpn-pro (only private-backbone is in scope)'] });
  expect(read('kitakaze-logistics', 'report.en.html')).toContain('Out of ISO/IEC 27017 scope.');
  expect(read('kitakaze-logistics', 'report.ja.html')).toContain('ISO/IEC 27017 適用範囲外です');
  expect(read('sakura-trading', 'report.ja.html')).toContain('適用範囲：ゲートウェイ タイプ A');
  expect(read('sakura-trading', 'report.ja.html')).toContain('お客様データ（設定データ、ユーザ管理等）');
  expect(read('sakura-trading', 'report.ja.html')).toContain('2.2 関係当局との連絡');
  expect(read('sakura-trading', 'report.en.md')).toContain('Responsibility split');
});

test('the fleet page counts each control over the in-scope tenants and links its page of controls x tenants', () => {
  const fleet = JSON.parse(read('fleet.json'));
  expect(fleet.format).toBe('ras-iso27017-fleet/1');
  expect(fleet.controls).toHaveLength(42);
  // fleet.json counts (in-scope tenants only) and lists the pages; each page's JSON holds its tenants' statuses.
  expect(fleet.controls.find((c: any) => c.id === 'CLD8.1.5').inScope).toEqual({ compliant: 1, compliant_by_exception: 0, non_compliant: 0, not_applicable: 1, procedural: 0 });
  expect(fleet.controls[0].statuses).toBeUndefined();
  expect(fleet.summary).toEqual({ verdicts: { passed: 2, failed: 0, information_only: 2 } });
  expect(fleet.pages).toEqual([{ file: 'fleet-page-0001.json', first: 'kitakaze-logistics', last: 'tsubame-travel', tenants: 4, verdicts: { passed: 2, failed: 0, information_only: 2 } }]);
  const data = JSON.parse(read('fleet-page-0001.json'));
  expect([data.format, data.page, data.pages]).toEqual(['ras-iso27017-fleet-page/1', 1, 1]);
  expect(data.tenants.map((t: any) => t.tenant)).toEqual(TENANTS);
  expect(Object.keys(data.controls[0].statuses)).toEqual(TENANTS);
  expect(data.controls.find((c: any) => c.id === 'CLD8.1.5').statuses).toEqual({ 'kitakaze-logistics': 'not_applicable', 'minato-design': 'compliant', 'sakura-trading': 'not_applicable', 'tsubame-travel': 'not_applicable' });
  expect(data.provenance.contracts.files.map((f: any) => basename(f.file))).toEqual(['fleet.yaml', ...TENANTS.map((t) => `${t}.yaml`)]);
  const index = read('index.en.html');
  expect(index.match(/<tr data-control=/g)).toHaveLength(42);
  // Two tenants are in scope (kitakaze-logistics and tsubame-travel are information only).
  const counts = /<tr data-control="CLD8\.1\.5">.*?<\/tr>/.exec(index)?.[0] ?? '';
  expect(counts).toContain('<td data-status="compliant">1</td>');
  expect(counts).toContain('<td data-status="not_applicable">1</td>');
  expect(counts).toContain('<td data-status="non_compliant">0</td>');
  expect(index).toContain('<tr data-page="1"><td><a href="fleet-page-0001.en.html">Page 1</a></td><td>kitakaze-logistics – tsubame-travel</td><td>4</td><td data-verdict="passed">2</td><td data-verdict="failed">0</td><td data-verdict="information_only">2</td></tr>');
  const page = read('fleet-page-0001.en.html');
  expect(page.match(/<tr data-control=/g)).toHaveLength(42);
  for (const t of TENANTS) expect(page).toContain(`href="${t}/report.en.html"`);
  expect(page).toContain('<a href="index.en.html">');
  expect(read('fleet.en.md')).toContain('| [Page 1](fleet-page-0001.en.md) | kitakaze-logistics – tsubame-travel | 4 | 2 | 0 | 2 |');
});

test('suppressions are shown in every report, unused ones too', () => {
  expect(read('sakura-trading', 'report.en.html')).toContain('Kept for the audit trail of the old gateway.');
  expect(read('sakura-trading', 'report.en.html')).toContain('Unused suppressions');
  expect(read('index.ja.html')).toContain('未使用の抑止');
  expect(read('minato-design', 'report.en.html')).toContain('None declared for this tenant.');
});

test('self-contained and free of secrets and contact data', () => {
  for (const t of TENANTS) {
    for (const f of readdirSync(join(dir, t))) {
      const text = read(t, f);
      expect(text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.example/); // operator e-mail addresses
      expect(text).not.toMatch(/ras\/prod\/tenants|PRIVATE KEY|secret_key|access_key|secretStore/i); // secret-store paths, keys
      if (f.endsWith('.html')) {
        expect(text).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
        expect(text).not.toMatch(/href="https?:/);
      }
    }
  }
});

test('contract strings are escaped in HTML and Markdown', () => {
  const f = activeTenant('hostile');
  f.tf.provider.aws[0].default_tags[0].tags['ras:label:RAG-0000001'] = '<script>alert("x")</script> | **bold**';
  const out = mkdtempSync(join(tmpdir(), 'ras-report-'));
  try {
    const reason = 'Approved <img src=x onerror=alert(1)> by the customer.';
    writeReports(evaluateFleet([toView(f)], [{ rule: 'GatewayRequiresImdsV2', tenant: 'hostile', resource: 'aws_instance.X', reason }]), out, AT);
    const page = readFileSync(join(out, 'hostile', 'report.en.html'), 'utf8');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('Approved &lt;img src=x onerror=alert(1)&gt; by the customer.');
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    const mdText = readFileSync(join(out, 'hostile', 'report.ja.md'), 'utf8');
    expect(mdText).toContain(String.raw`&lt;script&gt;alert\("x"\)&lt;/script&gt; \| \*\*bold\*\*`);
    expect(mdText).not.toContain('<script');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('md escapes table and emphasis characters and keeps a cell on one line', () => {
  expect(md('a|b *c* <d>\nnext')).toBe('a\\|b \\*c\\* &lt;d&gt; next');
});

test('a control passed only through a suppression says so', () => {
  const f = activeTenant('excepted');
  f.tf.resource.aws_vpc_security_group_ingress_rule.Ssh.cidr_ipv4 = '0.0.0.0/0';
  const reason = 'Vendor access during the migration window, approved in change CHG-1234.';
  const address = 'aws_vpc_security_group_ingress_rule.Ssh';
  const suppressions = ['NoManagementPortOpenToInternet', 'PublicPortsMatchEnabledProtocols'].map((rule) => ({ rule, tenant: 'excepted', resource: address, reason }));
  const out = mkdtempSync(join(tmpdir(), 'ras-report-'));
  try {
    writeReports(evaluateFleet([toView(f)], suppressions), out, AT);
    const doc = JSON.parse(readFileSync(join(out, 'excepted', 'report.json'), 'utf8'));
    const control = doc.controls.find((c: any) => c.id === 'CLD9.5.2');
    expect(control).toMatchObject({ status: 'compliant', withSuppressions: true });
    expect(control.rules.find((r: any) => r.id === 'NoManagementPortOpenToInternet')).toMatchObject({ status: 'suppressed', findings: [] });
    expect(readFileSync(join(out, 'excepted', 'report.en.html'), 'utf8')).toMatch(/5\.8 Virtual machine hardening .*compliant.*with a declared exception/);
    expect(readFileSync(join(out, 'excepted', 'report.ja.md'), 'utf8')).toContain('宣言された例外あり');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('provenance (code, contracts, tool, JST time, kind of evidence) heads every report format', () => {
  const fleet = JSON.parse(read('fleet.json'));
  const k = JSON.parse(read('kitakaze-logistics', 'report.json'));
  for (const p of [fleet.provenance, k.provenance]) {
    expect(p.generatedAt).toBe('2026-11-27T09:00:00+09:00');
    expect(p.tool).toEqual({ name: 'ras-tenant-factory', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(p.code.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(p.evidence).toEqual([{ kind: 'intended_configuration', source: expect.stringContaining('cdk.tf.json') }]);
    // The workspace's contracts are not in git: each is identified by its SHA-256.
    expect(p.contracts.commit).toBeUndefined();
    for (const f of p.contracts.files) expect(f.sha256).toBe(createHash('sha256').update(readFileSync(f.file)).digest('hex'));
  }
  // The fleet page lists every contract; a tenant's reports the fleet file and its own contract
  // only, so another tenant's change leaves them as they were (incremental builds).
  expect(fleet.provenance.contracts.files).toHaveLength(5);
  expect(k.provenance.contracts.files.map((f: { file: string }) => basename(f.file))).toEqual(['fleet.yaml', 'kitakaze-logistics.yaml']);
  for (const [file, kind] of [
    [['kitakaze-logistics', 'report.en.html'], 'intended configuration (synthesized)'],
    [['kitakaze-logistics', 'report.ja.html'], '意図された構成（合成出力）'],
    [['index.en.html'], 'intended configuration (synthesized)'],
    [['index.ja.html'], '意図された構成（合成出力）'],
    [['kitakaze-logistics', 'report.ja.md'], '意図された構成（合成出力）'],
    [['fleet.en.md'], 'intended configuration (synthesized)'],
    [['fleet-page-0001.ja.html'], '意図された構成（合成出力）'],
    [['fleet-page-0001.en.md'], 'intended configuration (synthesized)'],
  ] as const) {
    const text = read(...file).replace(/\\/g, ''); // Markdown escapes + and _
    const at = text.indexOf(kind);
    expect(at).toBeGreaterThan(0);
    // Before any result: on the first screen.
    expect(at).toBeLessThan(Math.min(...['<section class="control"', '<tr data-control', '### ', '| 5.1.1'].map((x) => (text.includes(x) ? text.indexOf(x) : Infinity))));
    expect(text).toContain(AT.code.commit);
    expect(text).toContain('2026-11-27T09:00:00+09:00');
  }
});

test('no pass without evidence: the terminated tenant\'s VM controls are not applicable, absences name what was searched', () => {
  const minato = JSON.parse(read('minato-design', 'report.json'));
  expect(minato.controls.find((c: any) => c.id === 'CLD9.5.2').status).toBe('not_applicable');
  expect(minato.controls.find((c: any) => c.id === '9.4.4').status).toBe('not_applicable');
  for (const t of TENANTS) {
    const doc = JSON.parse(read(t, 'report.json'));
    for (const r of doc.controls.flatMap((c: any) => c.rules)) {
      if (r.status === 'compliant' || r.status === 'compliant_by_exception') expect({ rule: r.id, evidence: r.evidence.length }).toEqual({ rule: r.id, evidence: expect.any(Number) });
      if (r.status === 'compliant') expect(r.evidence.length).toBeGreaterThan(0);
      for (const e of r.evidence) expect(e.resource).not.toBe('resource');
    }
  }
  const backup = minato.controls.find((c: any) => c.id === '12.3.1').rules.find((r: any) => r.id === 'ProviderTakesNoBackupOfCustomerData');
  expect(backup.evidence).toEqual([{ resource: expect.stringMatching(/^searched: aws_backup_plan, aws_backup_selection, /), path: 'resource type of every resource in the stack', value: expect.stringMatching(/^none declared \(\d+ resources searched\)$/) }]);
});

test('a reference in evidence is shown as the resource it points to, with that resource\'s own settings', () => {
  const sakura = JSON.parse(read('sakura-trading', 'report.json'));
  const disk = sakura.controls.find((c: any) => c.id === 'CLD9.5.2').rules.find((r: any) => r.id === 'GatewayRootVolumeEncryptedWithTenantKey');
  const [e] = disk.evidence;
  expect(e.resolved).toEqual([{ reference: expect.stringMatching(/^aws_kms_key\.TenantKey_\w+\.arn$/), resource: expect.stringMatching(/^aws_kms_key\.TenantKey_/), attributes: expect.arrayContaining([{ path: 'enable_key_rotation', value: 'true' }]) }]);
  const html = read('sakura-trading', 'report.en.html');
  expect(html).toContain(`data-reference="${e.resolved[0].reference}"`);
  expect(html).toMatch(/<code>enable_key_rotation<\/code> = <code>true<\/code>/);
});

test('an out-of-scope tenant is information only, never passed, and its fleet column is set apart with the reason', () => {
  const k = JSON.parse(read('kitakaze-logistics', 'report.json'));
  expect(k.verdict).toBe('information_only');
  expect(JSON.parse(read('sakura-trading', 'report.json')).verdict).toBe('passed');
  const fleet = JSON.parse(read('fleet.json'));
  expect(fleet.tenants.map((t: any) => [t.tenant, t.verdict])).toEqual([['kitakaze-logistics', 'information_only'], ['minato-design', 'passed'], ['sakura-trading', 'passed'], ['tsubame-travel', 'information_only']]);
  for (const lang of ['en', 'ja']) {
    const page = read(`fleet-page-0001.${lang}.html`);
    const head = /<th class="out-of-scope" data-tenant="kitakaze-logistics" data-verdict="information_only">.*?<\/th>/.exec(page)?.[0] ?? '';
    expect(head).toContain(lang === 'en' ? 'information only (out of scope)' : '参考情報のみ（適用範囲外）');
    expect(head).toContain(lang === 'en' ? 'linked service managed-vpn-pro (only private-backbone is in scope)' : '連携サービス managed-vpn-pro（適用範囲は private-backbone のみ）');
    expect(head).not.toMatch(/status (compliant|passed)/);
    expect(page.match(/<td class="out-of-scope" data-tenant="kitakaze-logistics">/g)).toHaveLength(42);
    expect(page).not.toMatch(/<td class="out-of-scope" data-tenant="kitakaze-logistics"><span class="status compliant">/);
  }
});

test('the legacy-cryptography opt-in shows as compliant by recorded exception, with approver, date and reason from the contract', () => {
  const k = JSON.parse(read('kitakaze-logistics', 'report.json'));
  const control = k.controls.find((c: any) => c.id === '10.1.1');
  expect(control.status).toBe('compliant_by_exception');
  const rule = control.rules.find((r: any) => r.id === 'GatewayCryptoWithinProfile');
  expect(rule.status).toBe('compliant_by_exception');
  expect(rule.exception).toEqual({
    covers: expect.stringContaining('PPTP (MPPE 128)'),
    approvedBy: '情報システム部長 (signed 2019-02-14)',
    approvedOn: '2019-02-14',
    reason: 'Handheld scanners in the warehouses only support 3DES and PPTP until their 2027 replacement.',
    source: 'ansible/host_vars/kitakaze-logistics-gateway.yml',
  });
  expect(k.summary.compliant_by_exception).toBe(1);
  const html = read('kitakaze-logistics', 'report.ja.html');
  expect(html).toContain('記録された例外により適合');
  expect(html).toMatch(/<td data-approved-on>2019-02-14<\/td>/);
  expect(html).toContain('<code>レガシープロファイル；PPTP (MPPE 128)');
  expect(read('kitakaze-logistics', 'report.en.md')).toContain('compliant by recorded exception');
});

test('provenance names the contracts\' commit only when they are committed unchanged', () => {
  const repo = mkdtempSync(join(tmpdir(), 'ras-provenance-'));
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    writeFileSync(join(repo, 'fleet.yaml'), 'a: 1\n');
    mkdirSync(join(repo, 'tenants'));
    writeFileSync(join(repo, 'tenants', 'x.yaml'), 'tenant: x\n');
    git('add', '.');
    git('commit', '-qm', 'contracts');
    const paths = { fleetFile: join(repo, 'fleet.yaml'), tenantsDir: join(repo, 'tenants') };
    expect(collectProvenance(paths, EPOCH).contracts.commit).toBe(git('rev-parse', 'HEAD'));
    writeFileSync(join(repo, 'tenants', 'x.yaml'), 'tenant: y\n');
    const changed = collectProvenance(paths, EPOCH).contracts;
    expect(changed.commit).toBeUndefined();
    expect(changed.files[1]).toEqual({ file: join(repo, 'tenants', 'x.yaml'), sha256: createHash('sha256').update('tenant: y\n').digest('hex') });
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
