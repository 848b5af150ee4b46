import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet } from '../../contract/load';
import { PROBLEM_CODES, type Problem, type ProblemCode } from '../../contract/problems';
import { REPO, Workspace } from '../helpers/workspace';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

function problems(): readonly Problem[] {
  return ws.problems();
}

/** 1-based line of the first line of a tenant file containing `text`. */
function lineOf(tenant: string, text: string): number {
  return ws.read(`tenants/${tenant}.yaml`).split('\n').findIndex((l) => l.includes(text)) + 1;
}

function expectOnly(code: ProblemCode, field: string, file = 'sakura-trading'): Problem {
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual([`${code} ${field}`]);
  expect(found[0].file).toMatch(new RegExp(`${file}\\.yaml$`));
  expect(found[0].line).toBeGreaterThan(1);
  return found[0];
}

test('the example fleet is valid', () => {
  const fleet = loadFleet(ws.paths);
  expect(fleet.tenants.map((t) => t.id)).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
});

test('RAS001: invalid YAML is located', () => {
  ws.write('tenants/sakura-trading.yaml', 'tenant: sakura-trading\ncustomer: { name: [\n');
  const [p] = problems();
  expect(p.code).toBe('RAS001');
  expect(p.file).toMatch(/sakura-trading\.yaml$/);
});

test('RAS001: duplicate keys are refused, not silently merged', () => {
  ws.write('tenants/sakura-trading.yaml', `${ws.read('tenants/sakura-trading.yaml')}\nregion: ap-northeast-3\n`);
  expect(problems().map((p) => p.code)).toContain('RAS001');
});

test('RAS010: schema violation names the field and the line', () => {
  ws.edit('sakura-trading', ['gateway', 'type'], 'C');
  const p = expectOnly('RAS010', 'gateway.type');
  expect(p.message).toContain('"C" is not allowed');
  expect(p.line).toBe(lineOf('sakura-trading', 'type: C'));
  expect(p.column).toBe(9);
});

test('RAS010: a misspelt field is reported, not ignored', () => {
  ws.edit('sakura-trading', ['portal', 'lockoutThreshhold'], 5);
  expectOnly('RAS010', 'portal.lockoutThreshhold');
});

test('RAS010: an identity with template or shell characters is refused', () => {
  ws.edit('sakura-trading', ['accessControl', 'userGroups', 0, 'members', 0], '{{ lookup("pipe","id") }}');
  expectOnly('RAS010', 'accessControl.userGroups[0].members[0]');
});

test('RAS020: tenant id must equal the file name', () => {
  ws.edit('sakura-trading', ['tenant'], 'sakura');
  expectOnly('RAS020', 'tenant');
});

test('RAS101: region outside Japan', () => {
  ws.edit('sakura-trading', ['region'], 'us-east-1');
  const p = expectOnly('RAS101', 'region');
  expect(p.line).toBe(lineOf('sakura-trading', 'region: us-east-1'));
  expect(p.column).toBe(9);
});

test('RAS101: the fleet cannot configure a region outside Japan', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace('ap-northeast-3:\n    availabilityZone: ap-northeast-3a', 'eu-west-1:\n    availabilityZone: eu-west-1a'));
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toContain('RAS101 regions.eu-west-1');
  expect(found.every((p) => p.file.endsWith('fleet.yaml') || p.code === 'RAS102')).toBe(true);
});

test('RAS102: a Japan region the fleet does not serve', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace(/ {2}ap-northeast-3:\n( {4}.*\n)+/, ''));
  expectOnly('RAS102', 'region', 'kitakaze-logistics');
});

test('RAS106: a pinned image that is not a build of the fleet image pipeline (more cases: test/stacks/image-pipeline.test.ts)', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace('image/ras-prod-gateway/1.0.0/1', 'image/hand-made/1.0.0/1'));
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS106 regions.ap-northeast-1.gatewayImageBuild']);
  expect(found[0].file).toMatch(/fleet\.yaml$/);
});

/** fleet.yaml without the fleet stack's ids of ap-northeast-1 (a real account's fleet.yaml). */
function withoutFleetIds(): void {
  const fleet = ws.read('fleet.yaml');
  const ids = ['tgw-0a1b2c3d4e5f60718', 'tgw-attach-0f1e2d3c4b5a69788', 'tgw-attach-0a9b8c7d6e5f40312', 'arn:aws:sns:ap-northeast-1:111122223333:ras-operations'];
  ws.write('fleet.yaml', fleet.split('\n').filter((line) => !ids.some((id) => line.endsWith(`: ${id}`))).join('\n'));
}

const RECORDED = {
  transitGatewayId: { sensitive: false, type: 'string', value: 'tgw-0123456789abcdef0' },
  backboneAttachmentId: { sensitive: false, type: 'string', value: 'tgw-attach-0123456789abcdef1' },
  operationsAttachmentId: { sensitive: false, type: 'string', value: 'tgw-attach-0123456789abcdef2' },
  operationsTopicArn: { sensitive: false, type: 'string', value: 'arn:aws:sns:ap-northeast-1:111122223333:ras-prod-operations' },
  stateBucketArn: { sensitive: false, type: 'string', value: 'arn:aws:s3:::ras-prod-terraform-state' },
};

function record(outputs: unknown): void {
  mkdirSync(join(ws.dir, 'fleet-outputs'), { recursive: true });
  ws.write('fleet-outputs/ap-northeast-1.json', `${JSON.stringify(outputs, null, 2)}\n`);
}

test('the fleet stack outputs recorded in fleet-outputs/<region>.json reach the tenants', () => {
  withoutFleetIds();
  expect(ws.read('fleet.yaml')).not.toContain('tgw-0a1b2c3d4e5f60718');
  record(RECORDED);
  const sakura = loadFleet(ws.paths).tenants.find((t) => t.id === 'sakura-trading')!;
  expect(sakura.region).toMatchObject({ transitGatewayId: 'tgw-0123456789abcdef0', backboneAttachmentId: 'tgw-attach-0123456789abcdef1', operationsTopicArn: RECORDED.operationsTopicArn.value });
});

test('RAS103: a tenant in a region whose fleet stack outputs are not recorded', () => {
  withoutFleetIds();
  const found = problems();
  // Every tenant of ap-northeast-1; kitakaze-logistics (ap-northeast-3) is unaffected.
  expect(found.map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}`)).toEqual([
    'RAS103 region minato-design.yaml',
    'RAS103 region sakura-trading.yaml',
    'RAS103 region tsubame-travel.yaml',
  ]);
  expect(found[0].message).toContain('fleet-outputs/ap-northeast-1.json');
  expect(found[0].message).toContain('transitGatewayId, backboneAttachmentId, operationsAttachmentId, operationsTopicArn');
});

test('RAS104: a recorded output that is not an id, or that contradicts fleet.yaml, is located in its file', () => {
  withoutFleetIds();
  record({ ...RECORDED, transitGatewayId: { value: 'tgw-$(reboot)' } });
  const [bad] = problems();
  expect(`${bad.code} ${bad.field} ${bad.file.replace(/^.*\//, '')}:${bad.line}`).toBe('RAS104 transitGatewayId.value ap-northeast-1.json:3');
  ws.write('fleet.yaml', readFileSync(join(REPO, 'fleet.yaml'), 'utf8'));
  record(RECORDED);
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS104 transitGatewayId.value', 'RAS104 backboneAttachmentId.value', 'RAS104 operationsAttachmentId.value', 'RAS104 operationsTopicArn.value']);
  expect(found[0].message).toContain('differs from regions.ap-northeast-1.transitGatewayId tgw-0a1b2c3d4e5f60718');
});

test('RAS105: operations access: unknown hand-off account, duplicate account, a key that is not what it says', () => {
  const fleet = ws.read('fleet.yaml');
  const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIMW94UbldXRHrsWIGQywVrka3mKyI5INrQ3jHvX3GXai';
  ws.write(
    'fleet.yaml',
    fleet
      .replace('handOffAccount: rasops', 'handOffAccount: deployer')
      .replace(`        - ssh-ed25519 ${key} ops-example\n`, `        - ssh-ed25519 ${key} ops-example\n    - name: rasops\n      sshPublicKeys:\n        - ssh-rsa ${key}\n`),
  );
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}`)).toEqual([
    'RAS105 operationsAccess.handOffAccount fleet.yaml',
    'RAS105 operationsAccess.accounts[1].name fleet.yaml',
    'RAS105 operationsAccess.accounts[1].sshPublicKeys[0] fleet.yaml',
  ]);
  expect(found[2].message).toContain('not ssh-rsa');
  expect(found[2].line).toBe(fleet.split('\n').findIndex((l) => l.includes(key)) + 4);
});

test('RAS010: an operations key that is not one OpenSSH public key line is refused by the schema', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace('ops-example', 'ops-example\n        - "-----BEGIN OPENSSH PRIVATE KEY-----"'));
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS010 operationsAccess.accounts[0].sshPublicKeys[1]']);
});

test('RAS110: invalid CIDR', () => {
  ws.edit('sakura-trading', ['gateway', 'clientPool'], '10.128.0.0/33');
  const p = expectOnly('RAS110', 'gateway.clientPool');
  expect(p.message).toContain('10.128.0.0/33');
});

test('RAS110: host bits set', () => {
  ws.edit('sakura-trading', ['accessControl', 'hostGroups', 0, 'cidrs', 0], '172.16.10.1/24');
  expectOnly('RAS110', 'accessControl.hostGroups[0].cidrs[0]');
});

test('RAS111: customer network overlapping the tenant VPC', () => {
  ws.edit('sakura-trading', ['accessControl', 'hostGroups', 0, 'cidrs', 0], '10.64.0.128/25');
  expectOnly('RAS111', 'accessControl.hostGroups[0].cidrs[0]');
});

test('RAS111: customer network overlapping the provider operations network', () => {
  ws.edit('sakura-trading', ['accessControl', 'hostGroups', 1, 'cidrs', 0], '10.255.0.0/16');
  expectOnly('RAS111', 'accessControl.hostGroups[1].cidrs[0]');
});

test('RAS111: fleet pools overlapping the operations network', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace('operationsCidr: 10.255.0.0/24', 'operationsCidr: 10.64.5.0/24'));
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}`)).toEqual(['RAS111 pools.vpc fleet.yaml']);
});

test('RAS112: VPC overlapping another tenant, reported on both', () => {
  ws.edit('sakura-trading', ['network', 'vpcCidr'], '10.64.1.0/24');
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}`).sort()).toEqual([
    'RAS112 network.vpcCidr kitakaze-logistics.yaml',
    'RAS112 network.vpcCidr sakura-trading.yaml',
  ]);
});

test('RAS112: client pool overlapping another tenant', () => {
  ws.edit('sakura-trading', ['gateway', 'clientPool'], '10.128.8.0/24');
  expect(problems().map((p) => p.code)).toEqual(['RAS112', 'RAS112']);
});

test('RAS113: allocation outside the fleet pool', () => {
  ws.edit('sakura-trading', ['network', 'vpcCidr'], '10.200.0.0/24');
  expectOnly('RAS113', 'network.vpcCidr');
});

test('RAS114: VPC too small for the two subnets', () => {
  ws.edit('sakura-trading', ['network', 'vpcCidr'], '10.64.0.0/26');
  expectOnly('RAS114', 'network.vpcCidr');
});

test('RAS115: impossible date', () => {
  ws.edit('sakura-trading', ['contractDate'], '2024-02-30');
  expectOnly('RAS115', 'contractDate');
});

test('RAS120: client pool smaller than the declared terminals', () => {
  ws.edit('sakura-trading', ['gateway', 'sizing', 'terminals'], 300);
  const p = expectOnly('RAS120', 'gateway.clientPool');
  expect(p.message).toContain('254 addresses but 300 terminals');
});

test('RAS121: sizing beyond the largest class', () => {
  ws.edit('sakura-trading', ['gateway', 'sizing', 'requestsPerSecond'], 9000);
  expectOnly('RAS121', 'gateway.sizing');
});

test('RAS130: VLAN shared with another tenant on the same backbone link (the region\'s first)', () => {
  // minato-design holds 103 in ap-northeast-1, sakura-trading's region too.
  ws.edit('sakura-trading', ['network', 'vlanId'], 103);
  expect(problems().map((p) => `${p.code} ${p.field}`)).toEqual(['RAS130 network.vlanId', 'RAS130 network.vlanId']);
  expect(problems()[0].message).toContain('VLAN id 103 (backbone link of ap-northeast-1) is also used by');
});

test('the same VLAN id on another region\'s backbone link is another VLAN: accepted', () => {
  // kitakaze-logistics holds 102 on ap-northeast-3's link; sakura-trading is in ap-northeast-1.
  ws.edit('sakura-trading', ['network', 'vlanId'], 102);
  expect(problems()).toEqual([]);
});

test('RAS131: service code used by another tenant', () => {
  ws.edit('sakura-trading', ['serviceCodes', 'management'], 'RAM-0000412');
  ws.edit('sakura-trading', ['labels', 'RAM-0001001'], undefined);
  expect(problems().map((p) => `${p.code} ${p.field}`)).toEqual(['RAS131 serviceCodes.management', 'RAS131 serviceCodes.management']);
});

test('RAS140: rule naming a group that does not exist', () => {
  ws.edit('sakura-trading', ['accessControl', 'rules', 1, 'hostGroup'], 'dev-serverz');
  const p = expectOnly('RAS140', 'accessControl.rules[1].hostGroup');
  expect(p.message).toContain('dev-serverz');
});

test('RAS141: group defined twice', () => {
  ws.edit('sakura-trading', ['accessControl', 'serviceGroups', 1, 'name'], 'web');
  // The rule that named the renamed group now points nowhere, too.
  expect(problems().map((p) => `${p.code} ${p.field}`)).toEqual(['RAS141 accessControl.serviceGroups[1].name', 'RAS140 accessControl.rules[1].serviceGroup']);
});

test('RAS142: identity in two user groups', () => {
  ws.edit('sakura-trading', ['accessControl', 'userGroups', 1, 'members', 0], 'alice@sakura-trading.example');
  expectOnly('RAS142', 'accessControl.userGroups[1].members[0]');
});

test('RAS150: new contract on a discontinued linked service', () => {
  ws.edit('sakura-trading', ['network', 'linkedService'], 'smfsx');
  expectOnly('RAS150', 'network.linkedService');
});

test('RAS150 does not apply to a contract older than 2020-03-06 (grandfathered, out of scope)', () => {
  const kitakaze = loadFleet(ws.paths).tenants.find((t) => t.id === 'kitakaze-logistics');
  expect(kitakaze?.grandfathered).toBe(true);
  expect(kitakaze?.scope.inScope).toBe(false);
});

test('RAS160: terminated without a termination date', () => {
  ws.edit('minato-design', ['terminationDate'], undefined);
  expectOnly('RAS160', 'status', 'minato-design');
});

test('RAS161: termination before the contract date', () => {
  ws.edit('minato-design', ['terminationDate'], '2021-01-01');
  expectOnly('RAS161', 'terminationDate', 'minato-design');
});

test('RAS162: termination date on an active tenant', () => {
  ws.edit('sakura-trading', ['terminationDate'], '2027-01-01');
  expectOnly('RAS162', 'terminationDate');
});

test('RAS170: SSTP is refused with a clear reason', () => {
  ws.edit('sakura-trading', ['gateway', 'protocols'], ['ikev2', 'sstp']);
  const p = expectOnly('RAS170', 'gateway.protocols[1]');
  expect(p.message).toMatch(/no SSTP server/);
});

test('RAS171: legacy profile without opt-in', () => {
  ws.edit('kitakaze-logistics', ['gateway', 'crypto', 'legacyOptIn'], undefined);
  expectOnly('RAS171', 'gateway.crypto.profile', 'kitakaze-logistics');
});

test('RAS171: PPTP on the strong profile', () => {
  ws.edit('sakura-trading', ['gateway', 'protocols'], ['ikev2', 'pptp']);
  expectOnly('RAS171', 'gateway.protocols[1]');
});

test('RAS172: IKEv2 with only a pre-shared key', () => {
  ws.edit('sakura-trading', ['gateway', 'closedMobile'], undefined); // it needs certificates too (RAS200)
  ws.edit('sakura-trading', ['gateway', 'authentication'], ['psk']);
  expectOnly('RAS172', 'gateway.protocols[0]');
});

test('RAS180: label for a service code the contract does not hold', () => {
  ws.edit('sakura-trading', ['labels', 'RAM-9999999'], 'x');
  expectOnly('RAS180', 'labels.RAM-9999999');
});

test('RAS190: Type B gateway with VPN protocols', () => {
  ws.edit('tsubame-travel', ['gateway', 'protocols'], ['https-relay', 'ikev2']);
  ws.edit('sakura-trading', ['gateway', 'protocols'], ['ikev2', 'https-relay']);
  expect(problems().map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}`)).toEqual([
    'RAS190 gateway.protocols[1] sakura-trading.yaml',
    'RAS190 gateway.protocols[1] tsubame-travel.yaml',
  ]);
});

test('RAS191: Type B relay with an IPsec-only authentication method or crypto profile', () => {
  ws.edit('tsubame-travel', ['gateway', 'authentication'], ['certificate', 'eap-mschapv2']);
  ws.edit('tsubame-travel', ['gateway', 'crypto'], { profile: 'strong' });
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS191 gateway.authentication[1]', 'RAS191 gateway.crypto']);
  expect(found[0]).toMatchObject({ line: lineOf('tsubame-travel', 'eap-mschapv2'), file: expect.stringMatching(/tsubame-travel\.yaml$/) });
  expect(found[0].message).toContain('client certificate');
});

test('RAS192: Type B relay with a non-HTTP service, an open port range or a non-web port', () => {
  ws.edit('tsubame-travel', ['accessControl', 'serviceGroups', 0, 'services'], [{ protocol: 'udp', ports: [443] }, { protocol: 'tcp' }]);
  ws.edit('tsubame-travel', ['accessControl', 'serviceGroups', 1, 'services', 0, 'ports'], [80, 22]);
  expect(problems().map((p) => `${p.code} ${p.field}`)).toEqual([
    'RAS192 accessControl.serviceGroups[0].services[0].protocol',
    'RAS192 accessControl.serviceGroups[0].services[1]',
    'RAS192 accessControl.serviceGroups[1].services[0].ports[1]',
  ]);
});

test('the Type B example relays only web ports, and a Type A contract may name any service', () => {
  expect(problems()).toEqual([]);
  expect(loadFleet(ws.paths).tenants.find((t) => t.id === 'tsubame-travel')?.relay?.routes).toEqual([
    { name: 'counter-staff-booking-web-https', userGroup: 'counter-staff', cidrs: ['172.18.10.20/32'], ports: [443] },
    { name: 'back-office-booking-web-https', userGroup: 'back-office', cidrs: ['172.18.10.20/32'], ports: [443] },
    { name: 'back-office-accounting-web-web-admin', userGroup: 'back-office', cidrs: ['172.18.20.0/28'], ports: [80, 8443] },
  ]);
  expect(loadFleet(ws.paths).tenants.find((t) => t.id === 'sakura-trading')?.relay).toBeUndefined();
});

test('RAS200: closed mobile access on a Type B gateway (more cases: test/contract/closed-mobile.test.ts)', () => {
  ws.edit('sakura-trading', ['gateway', 'type'], 'B');
  expect(problems().map((p) => `${p.code} ${p.field}`)).toContain('RAS200 gateway.closedMobile');
});

test('RAS201: a carrier range as wide as the internet (more cases: test/contract/closed-mobile.test.ts)', () => {
  ws.edit('sakura-trading', ['gateway', 'closedMobile', 'carrierCidrs'], ['0.0.0.0/0']);
  expectOnly('RAS201', 'gateway.closedMobile.carrierCidrs[0]');
});

test('RAS203: a closed mobile identity that is no member of the contract', () => {
  ws.edit('sakura-trading', ['gateway', 'closedMobile', 'identities'], ['dave@sakura-trading.example', 'eve@sakura-trading.example']);
  const p = expectOnly('RAS203', 'gateway.closedMobile.identities[1]');
  expect(p.message).toContain('eve@sakura-trading.example');
});

test('RAS202: closed mobile access where the fleet has no carrier attachment (more cases: test/contract/closed-mobile.test.ts)', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace(/^ {4}carrierAttachmentId: .*\n/m, ''));
  expectOnly('RAS202', 'gateway.closedMobile');
});

test('every problem code has a test above', () => {
  const source = readFileSync(__filename, 'utf8');
  for (const code of Object.keys(PROBLEM_CODES)) expect(source).toContain(`test('${code}`);
});

test('all problems of all files are reported together', () => {
  ws.edit('kitakaze-logistics', ['region'], 'us-east-1');
  ws.edit('sakura-trading', ['network', 'vlanId'], 103);
  ws.edit('minato-design', ['gateway', 'sizing', 'terminals'], 100);
  expect(problems().map((p) => p.code).sort()).toEqual(['RAS101', 'RAS120', 'RAS130', 'RAS130']);
});

test('problems in files served from the parse cache are located exactly', () => {
  loadFleet(ws.paths); // warms the on-disk parse cache with every example
  ws.edit('sakura-trading', ['network', 'vlanId'], 103);
  const minato = problems().find((p) => p.file.endsWith('minato-design.yaml'));
  expect(minato).toMatchObject({ code: 'RAS130', field: 'network.vlanId', line: lineOf('minato-design', 'vlanId: 103'), column: 11 });
});

test('a corrupt or foreign parse cache only costs time', () => {
  loadFleet(ws.paths);
  // The default location: one folder of shard files beside the tenants folder.
  const [folder] = readdirSync(join(ws.dir, '.ras-cache'));
  const shards = () => readdirSync(join(ws.dir, '.ras-cache', folder)).map((f) => `.ras-cache/${folder}/${f}`);
  expect(shards().length).toBeGreaterThan(0);
  for (const f of shards()) ws.write(f, '{"format":"other","entries":{"x":1}}');
  expect(loadFleet(ws.paths).tenants).toHaveLength(4);
  for (const f of shards()) ws.write(f, 'not json');
  expect(loadFleet(ws.paths).tenants).toHaveLength(4);
});
