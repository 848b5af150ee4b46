/**
 * Mutation tests on the real examples: synthesize them, break one promise in the synthesized
 * output, and assert that exactly the right control fails, for exactly the right tenant(s),
 * and nothing else newly fails.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { addDays } from '../../lib/calendar';
import { evaluateFleet, type FleetEvaluation } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { synthTenants } from '../../stacks/synth';
import { hostVarsFile } from '../helpers/gateway-vars';
import { REPO, Workspace } from '../helpers/workspace';

let ws: Workspace;
let outdir: string;
const scratch: string[] = [];
const ROLES = join(REPO, 'ansible', 'roles');

beforeAll(() => {
  ws = new Workspace();
  outdir = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir });
});
afterAll(() => {
  ws.remove();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Control ids failing per tenant (only tenants with a failure). */
function failing(e: FleetEvaluation): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of e.tenants) {
    const ids = t.controls.filter((c) => c.status === 'non_compliant').map((c) => c.control.id).sort();
    if (ids.length > 0) out[t.tenant] = ids;
  }
  return out;
}

/** A copy of the synthesized output, changed by `change`, evaluated. */
function evaluateMutated(change: (dir: string) => void): FleetEvaluation {
  const dir = mkdtempSync(join(tmpdir(), 'ras-mutant-'));
  scratch.push(dir);
  cpSync(outdir, dir, { recursive: true });
  change(dir);
  return evaluateFleet(readFleetViews(dir, { rolesDir: ROLES }));
}

function editJson(dir: string, tenant: string, edit: (tf: any) => void): void {
  const file = join(dir, 'stacks', tenant, 'cdk.tf.json');
  const tf = JSON.parse(readFileSync(file, 'utf8'));
  edit(tf);
  writeFileSync(file, JSON.stringify(tf));
}

function editVars(dir: string, tenant: string, edit: (vars: any) => void): void {
  const file = hostVarsFile(dir, tenant);
  const vars = parse(readFileSync(file, 'utf8'), { customTags: [{ tag: '!unsafe', resolve: (s: string) => s }] });
  edit(vars);
  writeFileSync(file, stringify(vars));
}

function editPortal(dir: string, tenant: string, edit: (p: any) => void): void {
  const file = join(dir, 'stacks', tenant, 'portal.json');
  const p = JSON.parse(readFileSync(file, 'utf8'));
  edit(p);
  writeFileSync(file, JSON.stringify(p));
}

/** The one resource of `type` in a stack (its name is cdktf's, with a hash). */
function only(tf: any, type: string, prefix = ''): any {
  const list = Object.entries(tf.resource[type] ?? {}).filter(([name]) => name.startsWith(prefix));
  if (list.length !== 1) throw new Error(`expected one ${type} ${prefix}, found ${list.length}`);
  return list[0][1];
}

test('the examples, as synthesized, break no promise', () => {
  const e = evaluateFleet(readFleetViews(outdir, { rolesDir: ROLES }));
  expect(failing(e)).toEqual({});
  expect(e.tenants.map((t) => [t.tenant, t.scope.inScope])).toEqual([
    ['kitakaze-logistics', false],
    ['minato-design', true],
    ['sakura-trading', true],
    ['tsubame-travel', false],
  ]);
});

const MUTATIONS: [string, (dir: string) => void, Record<string, string[]>][] = [
  [
    'minato-design erases 60 days after termination',
    (dir) =>
      editJson(dir, 'minato-design', (tf) => {
        const rules = only(tf, 'aws_s3_bucket_lifecycle_configuration').rule;
        rules.find((r: any) => r.id === 'erase-after-termination').expiration[0].date = `${addDays('2026-11-15', 60)}T00:00:00Z`;
      }),
    { 'minato-design': ['CLD8.1.5'] },
  ],
  [
    'sakura-trading offers 3DES without an opt-in',
    (dir) => editVars(dir, 'sakura-trading', (v) => (v.strongswan_crypto_profiles = { strong: { ikev2_proposals: ['aes256-sha256-modp2048', '3des-sha1-modp2048'] } })),
    { 'sakura-trading': ['10.1.1'] },
  ],
  ['sakura-trading switches to the legacy profile without an opt-in', (dir) => editVars(dir, 'sakura-trading', (v) => (v.strongswan_crypto_profile = 'legacy')), { 'sakura-trading': ['10.1.1'] }],
  ["kitakaze-logistics' legacy opt-in is withdrawn", (dir) => editVars(dir, 'kitakaze-logistics', (v) => (v.strongswan_legacy_opt_in = false)), { 'kitakaze-logistics': ['10.1.1'] }],
  [
    'sakura-trading opens SSH to 0.0.0.0/0',
    (dir) =>
      editJson(dir, 'sakura-trading', (tf) => {
        // The gateway's own group (sakura-trading also has the carrier side's).
        const sg = Object.keys(tf.resource.aws_security_group).find((k) => k.startsWith('Gateway_'))!;
        tf.resource.aws_vpc_security_group_ingress_rule['Gateway_Ingress-internet-ssh_0000'] = {
          security_group_id: `\${aws_security_group.${sg}.id}`,
          cidr_ipv4: '0.0.0.0/0',
          ip_protocol: 'tcp',
          from_port: 22,
          to_port: 22,
        };
      }),
    { 'sakura-trading': ['CLD9.5.2'] },
  ],
  ['sakura-trading deploys outside Japan', (dir) => editJson(dir, 'sakura-trading', (tf) => (tf.provider.aws[0].region = 'us-east-1')), { 'sakura-trading': ['18.1.1', '6.1.3'] }],
  ["sakura-trading's flow logs are removed", (dir) => editJson(dir, 'sakura-trading', (tf) => delete tf.resource.aws_flow_log), { 'sakura-trading': ['CLD12.4.5'] }],
  [
    // Moved onto ap-northeast-1's backbone link (its stack's region), where sakura-trading has 101.
    'kitakaze-logistics shares VLAN 101 with sakura-trading on one backbone link',
    (dir) =>
      editJson(dir, 'kitakaze-logistics', (tf) => {
        tf.provider.aws[0].region = 'ap-northeast-1';
        only(tf, 'aws_ec2_transit_gateway_vpc_attachment').tags['ras:vlan-id'] = '101';
        only(tf, 'aws_ec2_transit_gateway_route_table').tags['ras:vlan-id'] = '101';
      }),
    { 'kitakaze-logistics': ['CLD13.1.4'], 'sakura-trading': ['CLD13.1.4'] },
  ],
  [
    // kitakaze-logistics is on ap-northeast-3's link: the same id there is another VLAN.
    'kitakaze-logistics uses VLAN 101 on its own region\'s backbone link: no finding',
    (dir) =>
      editJson(dir, 'kitakaze-logistics', (tf) => {
        only(tf, 'aws_ec2_transit_gateway_vpc_attachment').tags['ras:vlan-id'] = '101';
        only(tf, 'aws_ec2_transit_gateway_route_table').tags['ras:vlan-id'] = '101';
      }),
    {},
  ],
  ["kitakaze-logistics' VPC overlaps sakura-trading's", (dir) => editJson(dir, 'kitakaze-logistics', (tf) => (only(tf, 'aws_vpc').cidr_block = '10.64.0.0/23')), { 'kitakaze-logistics': ['13.1.3'], 'sakura-trading': ['13.1.3'] }],
  ['sakura-trading turns portal two-factor off', (dir) => editPortal(dir, 'sakura-trading', (p) => (p.twoFactorRequired = false)), { 'sakura-trading': ['9.2.3'] }],
  [
    'sakura-trading keeps the VPN log 60 days',
    (dir) =>
      editJson(dir, 'sakura-trading', (tf) => {
        only(tf, 'aws_s3_bucket_lifecycle_configuration').rule.find((r: any) => r.id === 'vpn-connection-retention').expiration[0].days = 60;
      }),
    { 'sakura-trading': ['12.4.1'] },
  ],
  ["sakura-trading's gateway allows IMDSv1", (dir) => editJson(dir, 'sakura-trading', (tf) => (only(tf, 'aws_instance').metadata_options.http_tokens = 'optional')), { 'sakura-trading': ['CLD9.5.2'] }],
  ["sakura-trading's gateway clock runs on UTC", (dir) => editVars(dir, 'sakura-trading', (v) => (v.time_timezone = 'UTC')), { 'sakura-trading': ['12.4.4'] }],
  ["sakura-trading's sudo commands no longer reach the operator-work stream", (dir) => editVars(dir, 'sakura-trading', (v) => (v.logs_operator_sources = ['sshd', 'auditd'])), { 'sakura-trading': ['12.4.3'] }],
  [
    // Ansible (YAML 1.1) reads U+2028 as a line break: the rest of the name is a new variable.
    "sakura-trading's host variables smuggle a crypto override past a YAML 1.2 reader",
    (dir) => {
      const file = hostVarsFile(dir, 'sakura-trading');
      const text = readFileSync(file, 'utf8').replace(/^( {2}customer_name: .*)$/m, '$1\u2028strongswan_crypto_profiles: {strong: {ikev2_proposals: [3des-md5-modp768]}}');
      writeFileSync(file, text);
    },
    { 'sakura-trading': ['10.1.1', '12.4.3', '12.4.4', '18.1.5', '9.2.1', 'CLD9.5.2'] },
  ],
];

test.each(MUTATIONS)('%s: exactly the right control fails', (_name, change, expected) => {
  expect(failing(evaluateMutated(change))).toEqual(expected);
});
