/**
 * The strongswan role's swanctl templates, rendered by real Ansible (ansible-playbook, local
 * connection, template module) from sakura-trading's rendered variables: the closed mobile
 * identity gets only a carrier-bound, certificate-only connection and no EAP secret; the others
 * keep their internet-side connections. (Behaviour with a live charon is the e2e suite's.)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGatewayConfig } from '../../gateway-config';
import { exampleFleet, exampleTenant } from '../helpers/synth';

const ROLE = join(__dirname, '..', '..', 'ansible', 'roles', 'strongswan');
const DAVE = 'dave@sakura-trading.example';
let dir: string;
let connections: string;
let secrets: string;
let chapSecrets: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-swanctl-'));
  const fleet = exampleFleet();
  const written = writeGatewayConfig(join(dir, 'stack'), exampleTenant('sakura-trading', fleet), fleet.settings);
  // Throwaway EAP secrets for every member, dave included: the template must leave his out.
  const members = fleet.tenants.find((t) => t.id === 'sakura-trading')!.contract.accessControl.userGroups.flatMap((g) => g.members);
  const eap = Object.fromEntries(members.map((m) => [m, randomBytes(9).toString('base64')]));
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ strongswan_secret_values: { eap_users: eap, l2tp_psk: randomBytes(9).toString('base64') } }));
  const tpl = join(ROLE, 'templates', 'etc', 'swanctl', 'conf.d');
  writeFileSync(
    join(dir, 'render.yml'),
    JSON.stringify([
      {
        hosts: 'localhost',
        connection: 'local',
        gather_facts: false,
        vars_files: [join(ROLE, 'defaults', 'main.yml'), written.hostVarsFile, join(dir, 'secrets.json')],
        tasks: [
          { 'ansible.builtin.template': { src: join(tpl, 'ras-connections.conf.j2'), dest: join(dir, 'connections.conf'), mode: '0600' } },
          { 'ansible.builtin.template': { src: join(tpl, 'ras-secrets.conf.j2'), dest: join(dir, 'secrets.conf'), mode: '0600' } },
          { 'ansible.builtin.template': { src: join(ROLE, 'templates', 'etc', 'ppp', 'chap-secrets.j2'), dest: join(dir, 'chap-secrets'), mode: '0600' } },
        ],
      },
    ]),
  );
  const r = spawnSync('ansible-playbook', ['-i', 'localhost,', join(dir, 'render.yml')], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  if (r.status !== 0) throw new Error(`ansible-playbook failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  connections = readFileSync(join(dir, 'connections.conf'), 'utf8');
  secrets = readFileSync(join(dir, 'secrets.conf'), 'utf8');
  chapSecrets = readFileSync(join(dir, 'chap-secrets'), 'utf8');
}, 120000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The body of each top-level connection, by name. */
function connectionBlocks(text: string): Map<string, string> {
  const body = text.slice(text.indexOf('connections {'), text.indexOf('\npools {'));
  const out = new Map<string, string>();
  for (const m of body.matchAll(/^\t([a-z0-9-]+) \{\n([\s\S]*?)^\t\}/gm)) out.set(m[1], m[2]);
  return out;
}

test('the closed mobile identity has one connection, bound to the carrier-side address and ranges, certificate only', () => {
  const blocks = connectionBlocks(connections);
  const mobile = [...blocks].filter(([, b]) => b.includes(`id = "${DAVE}"`));
  expect(mobile.map(([name]) => name.replace(/-[0-9a-f]{12}$/, '-<key>'))).toEqual(['mobile-<key>']);
  const body = mobile[0][1];
  expect(body).toMatch(/^\t\tlocal_addrs = 10\.64\.0\.138$/m);
  expect(body).toMatch(/^\t\tremote_addrs = 100\.64\.0\.0\/16$/m);
  expect(body.match(/^\t\t\tauth = .*$/gm)).toEqual(['\t\t\tauth = pubkey', '\t\t\tauth = pubkey']);
});

test('the internet-side connections do not admit that identity: no cert- connection, no EAP secret; the others keep theirs', () => {
  const blocks = connectionBlocks(connections);
  const names = [...blocks.keys()].map((n) => n.replace(/-[0-9a-f]{12}$/, '-<key>')).sort();
  // alice, bob, carol by certificate; EAP-MSCHAPv2; L2TP; dave only over the carrier.
  expect(names).toEqual(['cert-<key>', 'cert-<key>', 'cert-<key>', 'eap-mschapv2', 'l2tp-psk', 'mobile-<key>']);
  for (const [name, body] of blocks) {
    if (name.startsWith('mobile-')) continue;
    expect(body).not.toContain(DAVE);
    expect(body).not.toContain('local_addrs');
  }
  expect(secrets).not.toContain(DAVE);
  expect(secrets).toContain('id = "alice@sakura-trading.example"');
  // Nor L2TP/PPTP (MS-CHAPv2 inside PPP): no PPP secret for the carrier-only identity.
  expect(chapSecrets).not.toContain(DAVE);
  expect(chapSecrets).toContain('"alice@sakura-trading.example"');
});
