/**
 * Closed mobile access in the synthesized stack: a carrier-side interface in a subnet whose own
 * route table reaches only the carrier ranges through the transit gateway, admitting IKE and NAT-T
 * from those ranges only. The offline terraform plan of the same stack is in test/terraform.test.ts.
 */
import type { TerraformStack } from 'cdktf';
import { CarrierInterface } from '../../constructs/carrier-interface';
import { Gateway } from '../../constructs/gateway';
import { IsolatedNetwork } from '../../constructs/isolated-network';
import { LogArchive } from '../../constructs/log-archive';
import { TenantKey } from '../../constructs/tenant-key';
import { only, refused, resources, synthConstructs, synthTenant, type TfJson } from '../helpers/synth';

const sakura = synthTenant('sakura-trading');
const kitakaze = synthTenant('kitakaze-logistics');

/** The route table (by its construct-given Name tag) that a route refers to. */
function routesOf(json: TfJson, tableName: string): Record<string, any>[] {
  const [address] = Object.entries(json.resource.aws_route_table).find(([, t]) => t.tags.Name === tableName)!;
  return resources(json, 'aws_route').filter((r) => r.route_table_id === `\${aws_route_table.${address}.id}`);
}

test('the carrier subnet has its own route table holding only the carrier ranges, through the transit gateway', () => {
  const subnet = resources(sakura, 'aws_subnet').find((s) => s.tags.Name === 'ras-prod-sakura-trading-carrier')!;
  expect(subnet).toMatchObject({ cidr_block: '10.64.0.128/26', map_public_ip_on_launch: false });
  const carrier = routesOf(sakura, 'ras-prod-sakura-trading-carrier');
  expect(carrier.map((r) => [r.destination_cidr_block, r.transit_gateway_id, r.gateway_id, r.nat_gateway_id])).toEqual([['100.64.0.0/16', 'tgw-0a1b2c3d4e5f60718', undefined, undefined]]);
  // The carrier ranges are routed from nowhere else: not from the public subnet.
  const publicRoutes = routesOf(sakura, 'ras-prod-sakura-trading-public').map((r) => r.destination_cidr_block);
  expect(publicRoutes).toContain('0.0.0.0/0');
  expect(publicRoutes).not.toContain('100.64.0.0/16');
});

test("the transit gateway sends the carrier ranges to the carrier attachment, from the tenant's own table", () => {
  const routes = resources(sakura, 'aws_ec2_transit_gateway_route').filter((r) => r.destination_cidr_block === '100.64.0.0/16');
  expect(routes).toHaveLength(1);
  expect(routes[0].transit_gateway_attachment_id).toBe('tgw-attach-0c4a7e1b2d3f50617');
  expect(routes[0].transit_gateway_route_table_id).toMatch(/^\$\{aws_ec2_transit_gateway_route_table\.Backbone_RouteTable_/);
});

test('the carrier interface: fixed address, no public IP, its own security group admitting IKE/NAT-T from the carrier ranges only', () => {
  const eni = only(sakura, 'aws_network_interface');
  expect(eni).toMatchObject({ private_ips: ['10.64.0.138'], source_dest_check: true });
  expect(eni.subnet_id).toMatch(/Network_CarrierSubnet/);
  expect(eni.attachment).toEqual([{ device_index: 1, instance: expect.stringMatching(/^\$\{aws_instance\.Gateway_Instance_/) }]);
  // The Elastic IP stays on the instance's primary (internet-side) interface.
  expect(resources(sakura, 'aws_eip').every((e) => e.network_interface === undefined && String(e.instance).includes('aws_instance.'))).toBe(true);
  const sg = Object.entries(sakura.resource.aws_security_group).find(([, g]) => g.name === 'ras-prod-sakura-trading-gateway-carrier')!;
  expect(eni.security_groups).toEqual([`\${aws_security_group.${sg[0]}.id}`]);
  const ref = `\${aws_security_group.${sg[0]}.id}`;
  const ingress = resources(sakura, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === ref);
  expect(ingress.map((r) => `${r.cidr_ipv4} ${r.ip_protocol}/${r.from_port}-${r.to_port}`).sort()).toEqual(['100.64.0.0/16 udp/4500-4500', '100.64.0.0/16 udp/500-500']);
  expect(resources(sakura, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === ref)).toEqual([]);
  // The carrier ranges are not opened on the internet-side group.
  expect(resources(sakura, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id !== ref).map((r) => r.cidr_ipv4)).not.toContain('100.64.0.0/16');
});

test('a tenant without closed mobile access has no carrier subnet, interface or route', () => {
  expect(resources(kitakaze, 'aws_subnet').map((s) => s.tags.Name).sort()).toEqual(['ras-prod-kitakaze-logistics-backbone', 'ras-prod-kitakaze-logistics-public']);
  expect(kitakaze.resource.aws_network_interface).toBeUndefined();
  expect(resources(kitakaze, 'aws_security_group')).toHaveLength(1);
});

function carrierOn(s: TerraformStack, carrierSubnet: string | undefined, carrierCidrs: string[]): void {
  const encryptionKey = new TenantKey(s, 'Key', { alias: 'test/t', accountId: '111122223333' });
  const logs = new LogArchive(s, 'Archive', {
    bucketName: 'test-t-logs',
    encryptionKey,
    accountId: '111122223333',
    retention: [
      { id: 'vpn-connection-90d', prefix: 'logs/vpn-connection/', expireAfterDays: 90 },
      { id: 'flow-logs-90d', prefix: 'provider/flow-logs/', expireAfterDays: 90 },
    ],
    flowLogPrefix: 'provider/flow-logs/',
  });
  const network = new IsolatedNetwork(s, 'Network', {
    name: 'test-t',
    cidr: '10.64.0.0/24',
    publicSubnetCidr: '10.64.0.0/26',
    backboneSubnetCidr: '10.64.0.64/26',
    carrierSubnetCidr: carrierSubnet,
    availabilityZone: 'ap-northeast-1a',
    flowLogArchive: logs,
  });
  const gateway = new Gateway(s, 'Gateway', {
    name: 'test-t',
    network,
    imageId: 'ami-0c0ffee0123456789',
    instanceType: 'c6i.large',
    encryptionKey,
    publicServices: [{ name: 'ike', protocol: 'udp', port: 500 }],
    managementCidr: '10.255.0.0/24',
    customerCidrs: [],
    logArchive: logs,
    logPrefixes: ['logs/vpn-connection/'],
    alarmTopicArn: 'arn:aws:sns:ap-northeast-1:111122223333:ops',
    baselineMbps: 781,
  });
  new CarrierInterface(s, 'Carrier', { name: 'test-t', network, gateway, privateAddress: '10.64.0.138', carrierCidrs });
}

test('CP115: the construct refuses a carrier range as wide as the internet; CP114: a network without a carrier subnet', () => {
  expect(() => synthConstructs((s) => carrierOn(s, '10.64.0.128/26', ['100.64.0.0/16']))).not.toThrow();
  expect(refused((s) => carrierOn(s, '10.64.0.128/26', ['0.0.0.0/0', '100.64.0.0/16', '100.64.0.0/16']))).toEqual([
    ['CP115', 'carrierCidrs[0]'],
    ['CP110', 'carrierCidrs[2]'],
  ]);
  expect(refused((s) => carrierOn(s, undefined, ['100.64.0.0/16']))).toEqual([['CP114', 'network']]);
  expect(refused((s) => carrierOn(s, '10.64.0.64/27', ['100.64.0.0/16']))).toEqual([['CP107', 'carrierSubnetCidr']]);
});
