/** gateway.closedMobile: the carrier's device ranges, checked against the tenant's and the fleet's other networks. */
import { loadFleet } from '../../contract/load';
import type { Problem } from '../../contract/problems';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

const CARRIER = ['gateway', 'closedMobile', 'carrierCidrs'];

function codes(): string[] {
  return ws.problems().map((p) => `${p.code} ${p.field}`);
}

function only(): Problem {
  const found = ws.problems();
  expect(found).toHaveLength(1);
  expect(found[0].file).toMatch(/sakura-trading\.yaml$/);
  return found[0];
}

test('the example tenant with closed mobile access becomes a model with a carrier subnet apart from the others', () => {
  const sakura = loadFleet(ws.paths).tenants.find((t) => t.id === 'sakura-trading')!;
  expect(sakura.network.closedMobile).toEqual({
    carrierCidrs: ['100.64.0.0/16'],
    identities: ['dave@sakura-trading.example'],
    subnetCidr: '10.64.0.128/26',
    gatewayAddress: '10.64.0.138',
    carrierAttachmentId: 'tgw-attach-0c4a7e1b2d3f50617',
  });
  expect([sakura.network.publicSubnetCidr, sakura.network.backboneSubnetCidr]).toEqual(['10.64.0.0/26', '10.64.0.64/26']);
  const kitakaze = loadFleet(ws.paths).tenants.find((t) => t.id === 'kitakaze-logistics')!;
  expect(kitakaze.network.closedMobile).toBeUndefined();
});

test('RAS201: 0.0.0.0/0 (or anything wider than /8) is refused, naming the line and the field', () => {
  ws.edit('sakura-trading', CARRIER, ['0.0.0.0/0']);
  const p = only();
  expect(`${p.code} ${p.field}`).toBe('RAS201 gateway.closedMobile.carrierCidrs[0]');
  expect(p.message).toContain('0.0.0.0/0');
  const line = ws.read('tenants/sakura-trading.yaml').split('\n').findIndex((l) => l.includes('0.0.0.0/0')) + 1;
  expect(p.line).toBe(line);
  ws.edit('sakura-trading', CARRIER, ['64.0.0.0/7']);
  expect(codes()).toEqual(['RAS201 gateway.closedMobile.carrierCidrs[0]']);
  ws.edit('sakura-trading', CARRIER, ['10.0.0.0/8']);
  // A /8 is accepted for width, but this one holds the VPC, the pools and the operations network.
  expect(codes().every((c) => c.startsWith('RAS111 gateway.closedMobile.carrierCidrs[0]'))).toBe(true);
});

test("RAS111: a carrier range overlapping the tenant's own networks, a host group or another carrier range", () => {
  ws.edit('sakura-trading', CARRIER, ['100.64.0.0/16', '10.64.0.0/25', '10.128.0.0/28', '172.16.10.0/25', '100.64.8.0/24']);
  const found = ws.problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual([
    'RAS111 gateway.closedMobile.carrierCidrs[1]',
    'RAS111 gateway.closedMobile.carrierCidrs[1]',
    'RAS111 gateway.closedMobile.carrierCidrs[2]',
    'RAS111 gateway.closedMobile.carrierCidrs[2]',
    'RAS111 gateway.closedMobile.carrierCidrs[3]',
    'RAS111 gateway.closedMobile.carrierCidrs[4]',
  ]);
  expect(found.map((p) => p.message)).toEqual([
    '10.64.0.0/25 overlaps the VPC 10.64.0.0/24',
    '10.64.0.0/25 overlaps the fleet VPC pool 10.64.0.0/12',
    '10.128.0.0/28 overlaps the client pool 10.128.0.0/24',
    '10.128.0.0/28 overlaps the fleet client pool 10.128.0.0/10',
    '172.16.10.0/25 overlaps host group "intranet-web" 172.16.10.0/24',
    '100.64.8.0/24 overlaps carrier range 100.64.0.0/16',
  ]);
});

test("RAS111: a carrier range overlapping the provider's operations network", () => {
  ws.edit('sakura-trading', CARRIER, ['10.255.0.0/25']);
  expect(ws.problems().map((p) => p.message)).toEqual(["10.255.0.0/25 overlaps the provider's operations network 10.255.0.0/24"]);
});

test('RAS110: a carrier range that is not a CIDR', () => {
  ws.edit('sakura-trading', CARRIER, ['100.64.0.0/33']);
  expect(codes()).toEqual(['RAS110 gateway.closedMobile.carrierCidrs[0]']);
});

test('RAS010: an empty carrier list or an unknown field is a schema violation', () => {
  ws.edit('sakura-trading', CARRIER, []);
  expect(codes()).toEqual(['RAS010 gateway.closedMobile.carrierCidrs']);
  ws.edit('sakura-trading', CARRIER, ['100.64.0.0/16']);
  ws.edit('sakura-trading', ['gateway', 'closedMobile', 'allowInternet'], true);
  expect(codes()).toEqual(['RAS010 gateway.closedMobile.allowInternet']);
});

test('RAS200: closed mobile access needs a Type A gateway with IKEv2 and certificate authentication', () => {
  ws.edit('sakura-trading', ['gateway', 'authentication'], ['eap-mschapv2', 'psk']);
  expect(codes()).toEqual(['RAS200 gateway.closedMobile']);
  expect(ws.problems()[0].message).toContain('certificate');
  ws.edit('sakura-trading', ['gateway', 'authentication'], ['certificate', 'psk']);
  ws.edit('sakura-trading', ['gateway', 'protocols'], ['l2tp-ipsec']);
  expect(codes()).toEqual(['RAS200 gateway.closedMobile']);
  expect(ws.problems()[0].message).toContain('ikev2');
  ws.edit('sakura-trading', ['gateway', 'protocols'], ['ikev2']);
  ws.edit('sakura-trading', ['gateway', 'authentication'], ['certificate', 'eap-tls']);
  expect(codes()).toEqual(['RAS200 gateway.authentication[1]']);
  expect(ws.problems()[0].message).toContain('eap-tls');
});

test('RAS202: closed mobile access in a region whose fleet settings give no carrier attachment', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace(/^ {4}carrierAttachmentId: .*\n/m, ''));
  const p = only();
  expect(`${p.code} ${p.field}`).toBe('RAS202 gateway.closedMobile');
  expect(p.message).toContain('ap-northeast-1');
});

test('RAS010: a carrier attachment id of the wrong form in the fleet settings', () => {
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace('tgw-attach-0c4a7e1b2d3f50617', 'tgw-0c4a7e1b2d3f50617'));
  const found = ws.problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS010 regions.ap-northeast-1.carrierAttachmentId']);
  expect(found[0].file).toMatch(/fleet\.yaml$/);
});
