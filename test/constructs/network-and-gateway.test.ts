import type { TerraformStack } from 'cdktf';
import { BackboneAttachment } from '../../constructs/backbone-attachment';
import { Gateway, type GatewayProps } from '../../constructs/gateway';
import { IsolatedNetwork } from '../../constructs/isolated-network';
import { LogArchive } from '../../constructs/log-archive';
import { TenantKey } from '../../constructs/tenant-key';
import { only, resources, synthConstructs, type TfJson } from '../helpers/synth';

function base(stack: TerraformStack) {
  const key = new TenantKey(stack, 'Key', { alias: 'test/t', accountId: '111122223333' });
  const archive = new LogArchive(stack, 'Archive', {
    bucketName: 'test-t-logs',
    encryptionKey: key,
    accountId: '111122223333',
    retention: [
      { id: 'flow', prefix: 'provider/flow-logs/', expireAfterDays: 90 },
      { id: 'vpn-connection', prefix: 'logs/vpn-connection/', expireAfterDays: 90 },
    ],
    flowLogPrefix: 'provider/flow-logs/',
  });
  const network = new IsolatedNetwork(stack, 'Network', {
    name: 'test-t',
    cidr: '10.64.0.0/24',
    publicSubnetCidr: '10.64.0.0/26',
    backboneSubnetCidr: '10.64.0.64/26',
    availabilityZone: 'ap-northeast-1a',
    flowLogArchive: archive,
  });
  return { key, archive, network };
}

function gatewayStack(overrides: Partial<GatewayProps> = {}): TfJson {
  return synthConstructs((stack) => {
    const { key, archive, network } = base(stack);
    new Gateway(stack, 'Gateway', {
      name: 'test-t',
      network,
      imageId: 'ami-0c0ffee0123456789',
      instanceType: 'c6i.large',
      encryptionKey: key,
      publicServices: [
        { name: 'ike', protocol: 'udp', port: 500 },
        { name: 'ipsec-nat-t', protocol: 'udp', port: 4500 },
      ],
      managementCidr: '10.255.0.0/24',
      customerCidrs: ['172.16.10.0/24'],
      logArchive: archive,
      logPrefixes: ['logs/vpn-connection/'],
      alarmTopicArn: 'arn:aws:sns:ap-northeast-1:111122223333:ops',
      baselineMbps: 781,
      ...overrides,
    });
  }).json;
}

describe('IsolatedNetwork', () => {
  const json = synthConstructs((s) => base(s)).json;

  test('own VPC and subnets that never hand out public addresses', () => {
    expect(only(json, 'aws_vpc').cidr_block).toBe('10.64.0.0/24');
    expect(resources(json, 'aws_subnet').map((s) => [s.cidr_block, s.map_public_ip_on_launch]).sort()).toEqual([
      ['10.64.0.0/26', false],
      ['10.64.0.64/26', false],
    ]);
  });

  test('the default security group is taken over with no rules', () => {
    expect(only(json, 'aws_default_security_group')).toMatchObject({ ingress: [], egress: [] });
    expect(only(json, 'aws_default_route_table').route).toEqual([]);
  });

  test('all traffic is flow-logged into the archive under the flow log prefix', () => {
    const flow = only(json, 'aws_flow_log');
    expect(flow).toMatchObject({ traffic_type: 'ALL', log_destination_type: 's3' });
    expect(flow.log_destination).toMatch(/^\$\{aws_s3_bucket\.Archive_Bucket_\w+\.arn\}\/provider\/flow-logs\/$/);
  });

  test('only the public subnet routes to the internet gateway', () => {
    const routes = resources(json, 'aws_route');
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({ destination_cidr_block: '0.0.0.0/0', gateway_id: expect.stringContaining('aws_internet_gateway') });
  });
});

describe('BackboneAttachment', () => {
  function attach(destinations: { name: string; cidr: string; attachmentId: string }[]): TfJson {
    return synthConstructs((stack) => {
      const { network } = base(stack);
      new BackboneAttachment(stack, 'Backbone', { name: 'test-t', network, transitGatewayId: 'tgw-0a1b2c3d4e5f60718', vlanId: 101, destinations });
    }).json;
  }
  const dests = [
    { name: 'customer-172.16.10.0/24', cidr: '172.16.10.0/24', attachmentId: 'tgw-attach-0f1e2d3c4b5a69788' },
    { name: 'operations', cidr: '10.255.0.0/24', attachmentId: 'tgw-attach-0a9b8c7d6e5f40312' },
  ];
  const json = attach(dests);

  test('never joins the transit gateway default route table', () => {
    expect(only(json, 'aws_ec2_transit_gateway_vpc_attachment')).toMatchObject({
      transit_gateway_default_route_table_association: false,
      transit_gateway_default_route_table_propagation: false,
      tags: { 'ras:vlan-id': '101', Name: 'test-t' },
    });
  });

  test('its own route table, associated and propagated only with its own attachment, carrying the VLAN', () => {
    const table = only(json, 'aws_ec2_transit_gateway_route_table');
    expect(table.tags['ras:vlan-id']).toBe('101');
    const ref = expect.stringMatching(/^\$\{aws_ec2_transit_gateway_route_table\.Backbone_RouteTable_\w+\.id\}$/);
    const att = expect.stringMatching(/^\$\{aws_ec2_transit_gateway_vpc_attachment\.Backbone_Attachment_\w+\.id\}$/);
    expect(resources(json, 'aws_ec2_transit_gateway_route_table_association')).toEqual([expect.objectContaining({ transit_gateway_route_table_id: ref, transit_gateway_attachment_id: att })]);
    expect(resources(json, 'aws_ec2_transit_gateway_route_table_propagation')).toEqual([expect.objectContaining({ transit_gateway_route_table_id: ref, transit_gateway_attachment_id: att })]);
  });

  test('routes each destination to its provider attachment, and the VPC to the transit gateway', () => {
    const tgwRoutes = resources(json, 'aws_ec2_transit_gateway_route').map((r) => [r.destination_cidr_block, r.transit_gateway_attachment_id]);
    expect(tgwRoutes.sort()).toEqual([
      ['10.255.0.0/24', 'tgw-attach-0a9b8c7d6e5f40312'],
      ['172.16.10.0/24', 'tgw-attach-0f1e2d3c4b5a69788'],
    ]);
    const vpcRoutes = resources(json, 'aws_route').filter((r) => r.transit_gateway_id !== undefined);
    expect(vpcRoutes.map((r) => r.destination_cidr_block).sort()).toEqual(['10.255.0.0/24', '172.16.10.0/24']);
  });

  test('route addresses are keyed by destination, not list position', () => {
    const reordered = attach([...dests].reverse());
    expect(Object.keys(reordered.resource.aws_ec2_transit_gateway_route).sort()).toEqual(Object.keys(json.resource.aws_ec2_transit_gateway_route).sort());
    expect(Object.keys(reordered.resource.aws_route).sort()).toEqual(Object.keys(json.resource.aws_route).sort());
  });
});

describe('Gateway', () => {
  const json = gatewayStack();

  test('pinned image, IMDSv2 only, root volume encrypted with the tenant key, protected', () => {
    expect(json).not.toHaveProperty('data');
    expect(only(json, 'aws_instance')).toMatchObject({
      ami: 'ami-0c0ffee0123456789',
      instance_type: 'c6i.large',
      source_dest_check: false,
      disable_api_termination: true,
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
      root_block_device: { encrypted: true, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_\w+\.arn\}$/) },
    });
  });

  test('the internet reaches only the VPN protocols; management only from the operations network', () => {
    const ingress = resources(json, 'aws_vpc_security_group_ingress_rule').map((r) => `${r.cidr_ipv4} ${r.ip_protocol}/${r.from_port}`);
    expect(ingress.sort()).toEqual(['0.0.0.0/0 udp/4500', '0.0.0.0/0 udp/500', '10.255.0.0/24 tcp/22', '10.255.0.0/24 tcp/9100']);
  });

  test('egress: customer networks, NTP, HTTPS and the VPC resolver only', () => {
    const egress = resources(json, 'aws_vpc_security_group_egress_rule').map((r) => `${r.cidr_ipv4} ${r.ip_protocol}/${r.from_port ?? '*'}`);
    expect(egress.sort()).toEqual([
      expect.stringMatching(/aws_vpc.*cidr_block\} tcp\/53$/),
      expect.stringMatching(/aws_vpc.*cidr_block\} udp\/53$/),
      '0.0.0.0/0 tcp/443',
      '0.0.0.0/0 udp/123',
      '172.16.10.0/24 -1/*',
    ]);
  });

  test('an Elastic IP, an instance role that can only write its own log prefixes', () => {
    expect(only(json, 'aws_eip')).toMatchObject({ domain: 'vpc', instance: expect.stringContaining('aws_instance') });
    const trust = JSON.parse(only(json, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement).toEqual([{ Sid: 'Ec2Assume', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const policies = resources(json, 'aws_iam_role_policy');
    expect(policies).toHaveLength(1);
    expect(JSON.parse(policies[0].policy).Statement[0]).toMatchObject({ Action: 's3:PutObject', Resource: [expect.stringMatching(/\/logs\/vpn-connection\/\*$/)] });
  });

  test('status, CPU and network alarms notify the operations topic', () => {
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(['CPUUtilization', 'NetworkIn', 'NetworkOut', 'StatusCheckFailed']);
    for (const a of alarms) expect(a.alarm_actions).toEqual(['arn:aws:sns:ap-northeast-1:111122223333:ops']);
    const netIn = alarms.find((a) => a.metric_name === 'NetworkIn');
    expect(netIn?.threshold).toBe(Math.round((781e6 / 8) * 300 * 0.8));
  });

  test('termination protection can be turned off explicitly', () => {
    expect(only(gatewayStack({ protectFromTermination: false }), 'aws_instance').disable_api_termination).toBe(false);
  });
});
