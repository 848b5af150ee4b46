/**
 * Every place a contract string reaches, with the most hostile strings the contract accepts:
 * Terraform JSON, the gateway variables as Ansible loads them, the HTML and Markdown reports, the
 * change notices, and the file names. Nothing may become live there.
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWithAnsible } from './helpers/ansible-loader';
import { ras } from './helpers/cli';
import { Workspace } from './helpers/workspace';

// Accepted by the contract (tested in test/contract/free-text.test.ts) and still dangerous downstream.
const NAME = '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) | **b** _i_ # \'"; rm -rf / さくら・商事「東京」（本社）\u3000%';
const LABEL = '本社・支店（東京）_it_ (x) @ ＆ :/=+';
const REASON = "Scanners only speak 3DES <b>until</b> 2027 [see](javascript:alert(1)) 'quoted' \"double\".";

let ws: Workspace;
let build: { exitCode: number; stdout: string; stderr: string };
beforeAll(async () => {
  ws = new Workspace();
  ws.edit('sakura-trading', ['customer', 'name'], NAME);
  ws.edit('sakura-trading', ['labels', 'RAM-0001001'], LABEL);
  ws.edit('kitakaze-logistics', ['gateway', 'crypto', 'legacyOptIn', 'reason'], REASON);
  // A change the customer is told about, so a notice carrying the label is written.
  ws.edit('sakura-trading', ['accessControl', 'serviceGroups', 0, 'services', 0, 'ports'], [80, 443, 8443]);
  build = await ras(['build'], ws.dir);
});
afterAll(() => ws.remove());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

test('the hostile contracts are accepted and build', () => {
  expect(build.stdout).toContain('checked 4 tenant(s): 4 passed, 0 failed');
  expect(build.exitCode).toBe(0);
});

test('Terraform JSON carries no interpolation but the stack\'s own references, and tags AWS accepts', () => {
  for (const file of filesUnder(join(ws.dir, 'cdktf.out')).filter((f) => f.endsWith('cdk.tf.json'))) {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('%{');
    for (const ref of text.match(/\$\{[^}]*\}/g) ?? []) expect(ref).toMatch(/^\$\{(?:aws_[a-z0-9_]+|terraform_data)\.[A-Za-z0-9_-]+(?:\.[a-z0-9_]+|\[[0-9]+\])*\}$/);
  }
  const tf = JSON.parse(readFileSync(join(ws.dir, 'cdktf.out/stacks/sakura-trading/cdk.tf.json'), 'utf8'));
  const tags = tf.provider.aws[0].default_tags[0].tags as Record<string, string>;
  expect(tags['ras:label:RAM-0001001']).toBe('本社 支店 東京 _it_ x @ :/=+');
  for (const value of Object.values(tags)) expect(value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
});

test('Ansible loads the customer name as the one string it is, and nothing else', () => {
  const dir = join(ws.dir, 'cdktf.out/stacks/sakura-trading/ansible');
  const [hostVars, inventory] = loadWithAnsible([readFileSync(join(dir, 'host_vars/sakura-trading-gateway.yml'), 'utf8'), readFileSync(join(dir, 'inventory.yml'), 'utf8')]);
  expect(hostVars).toEqual({ ok: true, value: expect.objectContaining({ ras_tenant: expect.objectContaining({ customer_name: NAME }) }) });
  expect(Object.keys((hostVars as { value: object }).value).filter((k) => k.startsWith('ansible_'))).toEqual([]);
  expect(inventory).toEqual({ ok: true, value: expect.anything() });
});

test('no contract string becomes markup in the HTML or Markdown reports', () => {
  for (const file of filesUnder(join(ws.dir, 'reports'))) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.html')) {
      // Escaped text may read "javascript:alert(1)"; only an attribute could make it live.
      expect(text).not.toMatch(/<script|<img|\son\w+=|(?:href|src|action)\s*=\s*["']?\s*javascript:|<b>until/i);
      if (file.includes('kitakaze') && text.includes('Scanners')) expect(text).toContain('&lt;b&gt;until&lt;/b&gt;');
    }
    if (file.endsWith('.md')) expect(text).not.toMatch(/<script|<img|<b>until|\]\(javascript:/);
  }
});

test('change notices escape labels and keep their headers to one line each', async () => {
  const base = new Workspace();
  try {
    expect((await ras(['synth'], base.dir)).exitCode).toBe(0);
    const r = await ras(['plan-review', '--base', join(base.dir, 'cdktf.out'), '--head', join(ws.dir, 'cdktf.out'), '--no-rules', '--notices', join(ws.dir, 'notices')], ws.dir);
    expect(r.exitCode).toBeLessThan(2);
    const notices = filesUnder(join(ws.dir, 'notices'));
    expect(notices.map((f) => f.slice(ws.dir.length))).toContain('/notices/sakura-trading.en.md');
    expect(readFileSync(join(ws.dir, 'notices/sakura-trading.en.md'), 'utf8')).toContain('RAM-0001001 (本社 支店 東京 \\_it\\_ x @ :/=\\+)');
    for (const file of notices) {
      const [head] = readFileSync(file, 'utf8').split('\n\n');
      expect(head.split('\n').map((l) => l.replace(/:.*/, ''))).toEqual(['To', 'Subject']);
      expect(readFileSync(file, 'utf8')).not.toMatch(/[\r\u0085\u2028\u2029]|(?<!\\)_it(?<!\\)_/);
    }
  } finally {
    base.remove();
  }
});

test('plan review refuses (exit 2) gateway variables that Ansible would read otherwise', async () => {
  const head = join(ws.dir, 'smuggled');
  cpSync(join(ws.dir, 'cdktf.out'), head, { recursive: true });
  const file = join(head, 'stacks/sakura-trading/ansible/host_vars/sakura-trading-gateway.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^( {2}customer_name: .*)$/m, '$1\u2028strongswan_crypto_profile: legacy'));
  const r = await ras(['plan-review', '--base', join(ws.dir, 'cdktf.out'), '--head', head, '--no-rules'], ws.dir);
  expect(r.stderr).toMatch(/sakura-trading-gateway\.yml cannot be reviewed: line \d+: U\+2028 is a line break for Ansible/);
  expect(r.exitCode).toBe(2);
});

test('file names come from tenant ids only', () => {
  const names = filesUnder(join(ws.dir, 'cdktf.out')).concat(filesUnder(join(ws.dir, 'reports'))).map((f) => f.slice(ws.dir.length));
  for (const n of names) expect(n).toMatch(/^[/A-Za-z0-9._-]+$/);
});
