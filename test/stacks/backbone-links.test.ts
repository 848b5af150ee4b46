/**
 * A tenant on one of its region's added backbone links (contract/backbone-links.ts): its stack
 * routes the customer networks to that link's attachment and tags the link beside the VLAN id,
 * the fleet stack makes the link's attachment and edge VPC (planned offline by the real terraform
 * where present), and the fleet-wide VLAN rule judges (link, VLAN) pairs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parseDocument } from 'yaml';
import { contractClaims } from '../../build/claims';
import { recording, sameAnswers, type FleetQuery } from '../../build/fleet-queries';
import { loadFleet } from '../../contract/load';
import type { FleetModel } from '../../contract/model';
import { claimsOf, fleetIndex } from '../../policies/address-space';
import { evaluateFleet } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { ISO27017_PACK } from '../../policies/packs/iso27017';
import { FleetStack } from '../../stacks/fleet-stack';
import { synthTenants } from '../../stacks/synth';
import { only, resources, synthTenant, type TfJson } from '../helpers/synth';
import { findTerraform, prepareOffline, terraform } from '../helpers/terraform';
import { REPO, Workspace } from '../helpers/workspace';

const B2 = 'tgw-attach-0b2b2b2b2b2b2b2b2';
const FIRST = 'tgw-attach-0f1e2d3c4b5a69788';

let ws: Workspace;
let fleet: FleetModel;
let outdir: string;
const scratch: string[] = [];

beforeAll(() => {
  ws = new Workspace();
  const doc = parseDocument(ws.read('fleet.yaml'));
  doc.setIn(['regions', 'ap-northeast-1', 'backboneLinks'], [{ name: 'b2', edgeNetwork: '10.253.8.0/24', attachmentId: B2 }]);
  ws.write('fleet.yaml', doc.toString());
  // sakura-trading moves onto b2 with tsubame-travel's id on the first link: two VLANs.
  ws.edit('sakura-trading', ['network', 'backboneLink'], 'b2');
  ws.edit('sakura-trading', ['network', 'vlanId'], 104);
  fleet = loadFleet(ws.paths);
  outdir = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir });
});
afterAll(() => {
  ws.remove();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Transit routes of the tenant's own route table, destination -> attachment. */
function transitRoutes(tf: TfJson): Record<string, string> {
  return Object.fromEntries(resources(tf, 'aws_ec2_transit_gateway_route').map((r) => [r.destination_cidr_block, r.transit_gateway_attachment_id]));
}

test('the tenant stack routes its customer networks to its link\'s attachment and tags the link beside the VLAN id', () => {
  const sakura = synthTenant('sakura-trading', fleet);
  const customers = fleet.tenants.find((t) => t.id === 'sakura-trading')!.network.customerCidrs;
  expect(customers.length).toBeGreaterThan(0);
  const routes = transitRoutes(sakura);
  for (const cidr of customers) expect(routes[cidr]).toBe(B2);
  expect(routes['10.255.0.0/24']).toBe('tgw-attach-0a9b8c7d6e5f40312'); // operations: unchanged
  for (const type of ['aws_ec2_transit_gateway_vpc_attachment', 'aws_ec2_transit_gateway_route_table']) {
    expect(only(sakura, type).tags).toMatchObject({ 'ras:vlan-id': '104', 'ras:backbone-link': 'b2' });
  }
  // A tenant on the region's first link: no link tag, its routes to the first attachment.
  const tsubame = synthTenant('tsubame-travel', fleet);
  expect(only(tsubame, 'aws_ec2_transit_gateway_vpc_attachment').tags).toMatchObject({ 'ras:vlan-id': '104' });
  expect(only(tsubame, 'aws_ec2_transit_gateway_vpc_attachment').tags).not.toHaveProperty('ras:backbone-link');
  expect([...new Set(Object.values(transitRoutes(tsubame)))].sort()).toEqual(['tgw-attach-0a9b8c7d6e5f40312', FIRST].sort());
});

test('the claims known from the contracts are the ones the stacks synthesized (the build compares them)', () => {
  const views = readFleetViews(outdir);
  for (const t of fleet.tenants) {
    const view = views.find((v) => v.stackId === t.id)!;
    expect(claimsOf(view).vlans).toEqual(contractClaims(t).vlans);
  }
  expect(contractClaims(fleet.tenants.find((t) => t.id === 'sakura-trading')!).vlans.map((c) => c.link)).toEqual(['ap-northeast-1/b2', 'ap-northeast-1/b2']);
});

describe('VlanUniqueAcrossFleet judges (link, VLAN) pairs', () => {
  const pack = ISO27017_PACK.filter((e) => e.id === 'VlanUniqueAcrossFleet');

  function evaluate(change: (dir: string) => void): Record<string, { status: string; findings: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'ras-links-'));
    scratch.push(dir);
    cpSync(outdir, dir, { recursive: true });
    change(dir);
    const e = evaluateFleet(readFleetViews(dir), [], pack);
    return Object.fromEntries(e.tenants.map((t) => [t.tenant, { status: t.rules[0].status, findings: t.rules[0].findings.map((f) => f.required) }]));
  }

  test('every rule of the pack passes the fleet with a tenant on an added link, as the examples do', () => {
    const failing = evaluateFleet(readFleetViews(outdir, { rolesDir: join(REPO, 'ansible', 'roles') })).tenants.filter((t) => !t.passed);
    expect(failing.map((t) => `${t.tenant}: ${t.rules.filter((r) => r.findings.length > 0).map((r) => r.id).join(', ')}`)).toEqual([]);
  });

  test('the same id on two links of one region: no finding', () => {
    const verdicts = evaluate(() => undefined);
    expect(verdicts['sakura-trading'].status).toBe('compliant');
    expect(verdicts['tsubame-travel'].status).toBe('compliant');
  });

  test('twice on one link: both tenants fail, the message naming the link', () => {
    const verdicts = evaluate((dir) => {
      // tsubame-travel's stack moved onto b2, where sakura-trading has 104 too.
      const file = join(dir, 'stacks', 'tsubame-travel', 'cdk.tf.json');
      const tf = JSON.parse(readFileSync(file, 'utf8')) as TfJson;
      for (const type of ['aws_ec2_transit_gateway_vpc_attachment', 'aws_ec2_transit_gateway_route_table']) only(tf, type).tags['ras:backbone-link'] = 'b2';
      writeFileSync(file, JSON.stringify(tf));
    });
    expect(verdicts['sakura-trading'].status).toBe('non_compliant');
    expect(verdicts['tsubame-travel'].status).toBe('non_compliant');
    expect(verdicts['sakura-trading'].findings[0]).toBe('a VLAN id no other tenant uses on its backbone link (ap-northeast-1/b2) (tenant tsubame-travel has 104 on aws_ec2_transit_gateway_vpc_attachment.Backbone_Attachment_0B17CF28)');
    expect(verdicts['kitakaze-logistics'].status).toBe('compliant');
  });
});

test('the incremental build\'s recorded question is about the link: another tenant moving onto it re-judges, one on another link does not', () => {
  const claims = fleet.tenants.map(contractClaims);
  const log: FleetQuery[] = [];
  // What VlanUniqueAcrossFleet asks for sakura-trading (on b2 with 104).
  const [mine] = contractClaims(fleet.tenants.find((t) => t.id === 'sakura-trading')!).vlans;
  expect(recording(fleetIndex(claims), log).sameVlan(mine.value, mine.link, 'sakura-trading')).toEqual([]);
  expect(log).toEqual([expect.objectContaining({ ask: 'sameVlan', value: '104', link: 'ap-northeast-1/b2' })]);
  // tsubame-travel holds 104 on the first link: the same answer; moved onto b2: another.
  const moved = claims.map((c) => (c.tenant !== 'tsubame-travel' ? c : { ...c, vlans: c.vlans.map((v) => ({ ...v, link: 'ap-northeast-1/b2' })) }));
  expect(sameAnswers(fleetIndex(claims), log)).toBe(true);
  expect(sameAnswers(fleetIndex(moved), log)).toBe(false);
});

describe('the fleet stack makes each link\'s attachment and edge VPC', () => {
  const tf = () => JSON.parse(Testing.synth(new FleetStack(Testing.app(), { fleet: fleet.settings, region: 'ap-northeast-1' }), true)) as TfJson;

  test('one more attachment and edge VPC per link, outside any default route table; their ids in one output map', () => {
    const json = tf();
    const attachments = resources(json, 'aws_ec2_transit_gateway_vpc_attachment');
    expect(attachments).toHaveLength(3);
    for (const a of attachments) expect(a).toMatchObject({ transit_gateway_default_route_table_association: false, transit_gateway_default_route_table_propagation: false });
    expect(resources(json, 'aws_vpc').map((v) => v.cidr_block).sort()).toEqual(['10.253.0.0/24', '10.253.8.0/24', '10.255.0.0/24']);
    expect(json.output?.backboneLinkAttachmentIds.value).toEqual({ b2: expect.stringMatching(/^\$\{aws_ec2_transit_gateway_vpc_attachment\.Transit_backbone-b2-attachment_[0-9A-F]+\.id\}$/) });
    expect(json.output?.backboneAttachmentId.value).toMatch(/Transit_backbone-attachment_/);
  });

  test('a region without added links has no such output (its fleet stack is unchanged)', () => {
    const json = JSON.parse(Testing.synth(new FleetStack(Testing.app(), { fleet: fleet.settings, region: 'ap-northeast-3' }), true)) as TfJson;
    expect(json.output).not.toHaveProperty('backboneLinkAttachmentIds');
  });

  const found = findTerraform();
  if ('missing' in found) {
    const line = `SKIPPED: ${found.missing}; the fleet stack with an added backbone link was not planned`;
    process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
  }
  (('missing' in found) ? test.skip : test)('terraform validates and plans it offline, the link\'s attachment and its output included', async () => {
    const toolchain = found as Exclude<typeof found, { missing: string }>;
    const work = prepareOffline(join(outdir, 'stacks', 'fleet_ap-northeast-1', 'cdk.tf.json'), toolchain, mkdtempSync(join(tmpdir(), 'ras-links-tf-')));
    scratch.push(work);
    expect((await terraform(toolchain, work, ['init', '-input=false', '-no-color'])).exitCode).toBe(0);
    expect(JSON.parse((await terraform(toolchain, work, ['validate', '-json', '-no-color'])).stdout)).toMatchObject({ valid: true, diagnostics: [] });
    const plan = await terraform(toolchain, work, ['plan', '-input=false', '-no-color', '-out=plan.bin']);
    expect(plan.stderr).toBe('');
    const doc = JSON.parse((await terraform(toolchain, work, ['show', '-json', 'plan.bin'])).stdout);
    const created = doc.resource_changes.filter((c: { type: string; change: { actions: string[] } }) => c.change.actions.join() === 'create');
    expect(created.filter((c: { type: string }) => c.type === 'aws_ec2_transit_gateway_vpc_attachment')).toHaveLength(3);
    expect(created.map((c: { change: { after: { cidr_block?: string } } }) => c.change.after.cidr_block)).toContain('10.253.8.0/24');
    expect(Object.keys(doc.output_changes)).toContain('backboneLinkAttachmentIds');
  }, 120_000);
});

