import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { BackboneAttachment, type BackboneAttachmentProps } from '../../constructs/backbone-attachment';
import { Gateway, type GatewayProps } from '../../constructs/gateway';
import { GatewayAlarms, type GatewayAlarmsProps } from '../../constructs/gateway-alarms';
import { GatewayConfiguration, type GatewayConfigurationProps } from '../../constructs/gateway-configuration';
import { IsolatedNetwork, type IsolatedNetworkProps } from '../../constructs/isolated-network';
import { LogArchive, type LogArchiveProps } from '../../constructs/log-archive';
import { TenantKey, type TenantKeyProps } from '../../constructs/tenant-key';
import { ConstructPropsError, isBucketName } from '../../constructs/validate';
import { refused, synthConstructs } from '../helpers/synth';

function errorOf(build: (stack: TerraformStack) => void): ConstructPropsError {
  try {
    synthConstructs(build);
  } catch (e) {
    if (e instanceof ConstructPropsError) return e;
    throw e;
  }
  throw new Error('expected a ConstructPropsError');
}

const ACCOUNT = '111122223333';
const key = (s: TerraformStack, extra: Partial<TenantKeyProps> = {}) => new TenantKey(s, 'Key', { alias: 'test/t', accountId: ACCOUNT, ...extra });
const RETENTION = [
  { id: 'vpn-connection-90d', prefix: 'logs/vpn-connection/', expireAfterDays: 90 },
  { id: 'flow-logs-90d', prefix: 'provider/flow-logs/', expireAfterDays: 90 },
];
const archive = (s: TerraformStack, extra: Partial<LogArchiveProps> = {}) =>
  new LogArchive(s, 'Archive', { bucketName: 'test-t-logs', encryptionKey: key(s), accountId: ACCOUNT, retention: RETENTION, flowLogPrefix: 'provider/flow-logs/', ...extra });
const network = (s: TerraformStack, extra: Partial<IsolatedNetworkProps> = {}) =>
  new IsolatedNetwork(s, 'Network', {
    name: 'test-t',
    cidr: '10.64.0.0/24',
    publicSubnetCidr: '10.64.0.0/26',
    backboneSubnetCidr: '10.64.0.64/26',
    availabilityZone: 'ap-northeast-1a',
    flowLogArchive: archive(s),
    ...extra,
  });
const attachment = (s: TerraformStack, extra: Partial<BackboneAttachmentProps> = {}) =>
  new BackboneAttachment(s, 'Backbone', {
    name: 'test-t',
    network: network(s),
    transitGatewayId: 'tgw-0a1b2c3d4e5f60718',
    vlanId: 101,
    destinations: [
      { name: 'customer-172.16.10.0/24', cidr: '172.16.10.0/24', attachmentId: 'tgw-attach-0f1e2d3c4b5a69788' },
      { name: 'operations', cidr: '10.255.0.0/24', attachmentId: 'tgw-attach-0a9b8c7d6e5f40312' },
    ],
    ...extra,
  });
const gateway = (s: TerraformStack, extra: Partial<GatewayProps> = {}) => {
  const logs = archive(s);
  const encryptionKey = s.node.findChild('Key') as TenantKey;
  return new Gateway(s, 'Gateway', {
    name: 'test-t',
    network: new IsolatedNetwork(s, 'Network', { name: 'test-t', cidr: '10.64.0.0/24', publicSubnetCidr: '10.64.0.0/26', backboneSubnetCidr: '10.64.0.64/26', availabilityZone: 'ap-northeast-1a', flowLogArchive: logs }),
    imageId: 'ami-0c0ffee0123456789',
    instanceType: 'c6i.large',
    encryptionKey,
    publicServices: [{ name: 'ike', protocol: 'udp', port: 500 }],
    managementCidr: '10.255.0.0/24',
    customerCidrs: ['172.16.10.0/24'],
    logArchive: logs,
    logPrefixes: ['logs/vpn-connection/'],
    alarmTopicArn: 'arn:aws:sns:ap-northeast-1:111122223333:ops',
    baselineMbps: 781,
    ...extra,
  });
};
const alarms = (s: TerraformStack, extra: Partial<GatewayAlarmsProps> = {}) =>
  new GatewayAlarms(s, 'Alarms', { name: 'test-t', instanceId: 'i-0123456789abcdef0', topicArn: 'arn:aws:sns:ap-northeast-1:111122223333:ops', baselineMbps: 781, ...extra });
const HASH = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const configuration = (s: TerraformStack, extra: Partial<GatewayConfigurationProps> = {}) =>
  new GatewayConfiguration(s, 'GatewayConfiguration', {
    instanceId: 'i-0123456789abcdef0',
    gatewayAddress: '203.0.113.10',
    configurationHash: HASH,
    inventoryFile: 'ansible/inventory.yml',
    playbookFile: '../../../ansible/site.yml',
    ansibleConfigFile: '../../../ansible/ansible.cfg',
    ...extra,
  });

test('the fixtures are valid', () => {
  for (const build of [archive, network, attachment, gateway, alarms, configuration]) expect(() => synthConstructs((s) => build(s))).not.toThrow();
});

describe('LogArchive', () => {
  test.each<[string, string, Partial<LogArchiveProps>]>([
    ['CP101', 'bucketName', { bucketName: 'Bad_Name' }],
    ['CP108', 'accountId', { accountId: '1111-2222-3333' }],
    ['CP108', 'retention[0].id', { retention: [{ ...RETENTION[0], id: 'VPN logs' }, RETENTION[1]] }],
    ['CP112', 'retention[0].id', { retention: [{ ...RETENTION[0], id: 'erase-after-termination' }, RETENTION[1]] }],
    ['CP109', 'retention[0].prefix', { retention: [{ ...RETENTION[0], prefix: 'logs/vpn-connection' }, RETENTION[1]] }],
    ['CP102', 'retention[1].expireAfterDays', { retention: [RETENTION[0], { ...RETENTION[1], expireAfterDays: 0 }] }],
    ['CP110', 'retention[1].id', { retention: [RETENTION[0], { ...RETENTION[1], id: RETENTION[0].id }] }],
    ['CP111', 'flowLogPrefix', { flowLogPrefix: 'elsewhere/' }],
    ['CP104', 'eraseAllFrom', { eraseAllFrom: '2026-02-30' }],
    ['CP102', 'noncurrentVersionDays', { noncurrentVersionDays: 1.5 }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => archive(s, extra))).toEqual([[code, field]]);
  });

  test('CP110: a prefix with two retention rules', () => {
    expect(refused((s) => archive(s, { retention: [RETENTION[0], { ...RETENTION[1], prefix: RETENTION[0].prefix }], flowLogPrefix: RETENTION[0].prefix }))).toEqual([['CP110', 'retention[1].prefix']]);
  });

  test.each(['2026-2-5', '20261225', '2026-13-01', '2025-02-29', ' 2026-12-25'])('CP104: eraseAllFrom %j is refused', (date) => {
    expect(refused((s) => archive(s, { eraseAllFrom: date }))).toEqual([['CP104', 'eraseAllFrom']]);
  });

  test.each([-1, 0, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('CP102: expireAfterDays %p is refused', (days) => {
    expect(refused((s) => archive(s, { retention: [{ ...RETENTION[0], expireAfterDays: days }, RETENTION[1]] }))).toEqual([['CP102', 'retention[0].expireAfterDays']]);
  });

  test('CP111: grantWrite refuses a prefix without a retention rule', () => {
    const found = refused((s) => archive(s).grantWrite('Write', new IamRole(s, 'Role', { assumeRolePolicy: '{}' }), ['logs/vpn-connection/', 'logs/forever/']));
    expect(found).toEqual([['CP111', 'prefixes[1]']]);
  });

  test('several problems are reported together, in one error, before anything is created', () => {
    const app = Testing.app() as App;
    const stack = new TerraformStack(app, 'test');
    let error: unknown;
    try {
      archive(stack, { bucketName: 'Bad_Name', retention: [{ ...RETENTION[0], expireAfterDays: 0 }, RETENTION[1]], eraseAllFrom: '2026-02-30', noncurrentVersionDays: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConstructPropsError);
    expect((error as ConstructPropsError).problems.map((p) => [p.code, p.field])).toEqual([
      ['CP101', 'bucketName'],
      ['CP102', 'retention[0].expireAfterDays'],
      ['CP104', 'eraseAllFrom'],
      ['CP102', 'noncurrentVersionDays'],
    ]);
    expect((error as Error).message.split('\n')).toHaveLength(5);
    expect(stack.node.findAll().filter((c) => c.node.path.startsWith('test/Archive/'))).toEqual([]);
  });

  test('the message names the construct and field, shows the value and says what is allowed', () => {
    const e = errorOf((s) => archive(s, { bucketName: 'Bad_Name' }));
    expect(e.message).toBe(
      'LogArchive test/Archive: bucketName "Bad_Name" is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, \'.\' and \'-\', ' +
        'starting and ending with a letter or digit, not an IP address, no "..", not starting with "xn--" or "sthree-", ' +
        'not ending with "-s3alias", "--ol-s3", ".mrap", "--x-s3" or "--table-s3") [CP101]',
    );
  });

  test('a hostile value is shown escaped, on one line', () => {
    const e = errorOf((s) => archive(s, { bucketName: 'logs\u2028\u001b[2Jx' }));
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toContain('"logs\\u{2028}\\u001b[2Jx"');
  });

  test('values known only at apply time (tokens) are skipped, as aws-cdk does', () => {
    expect(() =>
      synthConstructs((s) => {
        const name = new TerraformVariable(s, 'bucket', { type: 'string' }).stringValue;
        const days = new TerraformVariable(s, 'days', { type: 'number' }).numberValue;
        archive(s, { bucketName: name, retention: [{ ...RETENTION[0], expireAfterDays: days }, RETENTION[1]], noncurrentVersionDays: days });
      }),
    ).not.toThrow();
  });
});

describe('S3 bucket names (CP101), as aws-cdk validateBucketName', () => {
  test.each(['ab', 'a'.repeat(64), 'Bad_Name', 'UPPER', '-starts-dash', 'ends-dash-', '.dot', 'a..b', '192.168.1.1', 'xn--abc', 'sthree-logs', 'logs-s3alias', 'logs--ol-s3', 'logs.mrap', 'a b'])(
    '%j is refused',
    (name) => {
      expect(isBucketName(name)).toBe(false);
      expect(refused((s) => archive(s, { bucketName: name }))).toEqual([['CP101', 'bucketName']]);
    },
  );

  test.each(['abc', 'a'.repeat(63), 'ras-prod-sakura-trading-logs', 'logs.example.jp', '123', '1.2.3.4.5'])('%j is accepted', (name) => {
    expect(isBucketName(name)).toBe(true);
  });
});

describe('TenantKey', () => {
  test.each<[string, string, Partial<TenantKeyProps>]>([
    ['CP108', 'alias', { alias: 'aws/ebs' }],
    ['CP108', 'accountId', { accountId: '12345' }],
    ['CP102', 'deletionWindowDays', { deletionWindowDays: 31 }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => key(s, extra))).toEqual([[code, field]]);
  });

  test('several problems together', () => {
    expect(refused((s) => key(s, { alias: 'alias with spaces', deletionWindowDays: 6 }))).toEqual([
      ['CP108', 'alias'],
      ['CP102', 'deletionWindowDays'],
    ]);
  });
});

describe('IsolatedNetwork', () => {
  test.each<[string, string, Partial<IsolatedNetworkProps>]>([
    ['CP105', 'cidr', { cidr: '10.64.0.0/33' }],
    ['CP105', 'publicSubnetCidr', { publicSubnetCidr: '10.64.0.1/26' }],
    ['CP106', 'backboneSubnetCidr', { backboneSubnetCidr: '10.65.0.64/26' }],
    ['CP107', 'backboneSubnetCidr', { backboneSubnetCidr: '10.64.0.0/27' }],
    ['CP108', 'availabilityZone', { availabilityZone: 'tokyo' }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => network(s, extra))).toEqual([[code, field]]);
  });

  test('CP105: addRoute refuses a destination that is not a CIDR', () => {
    expect(refused((s) => network(s).addRoute('backbone', 'client-pool', '10.0.0.0/8x', { networkInterfaceId: 'eni-0123456789abcdef0' }))).toEqual([['CP105', 'cidr']]);
  });

  test('several problems together', () => {
    expect(refused((s) => network(s, { cidr: '10.64.0.0/24', publicSubnetCidr: '10.99.0.0/26', backboneSubnetCidr: '300.0.0.0/26', availabilityZone: '' }))).toEqual([
      ['CP105', 'backboneSubnetCidr'],
      ['CP106', 'publicSubnetCidr'],
      ['CP108', 'availabilityZone'],
    ]);
  });
});

describe('BackboneAttachment', () => {
  const dest = (name: string, cidr: string, attachmentId = 'tgw-attach-0f1e2d3c4b5a69788') => ({ name, cidr, attachmentId });

  test.each<[string, string, Partial<BackboneAttachmentProps>]>([
    ['CP108', 'transitGatewayId', { transitGatewayId: 'tgw-XYZ' }],
    ['CP102', 'vlanId', { vlanId: 4095 }],
    ['CP108', 'destinations[0].name', { destinations: [dest('Customer A', '172.16.10.0/24')] }],
    ['CP105', 'destinations[0].cidr', { destinations: [dest('customer', '172.16.10.0')] }],
    ['CP108', 'destinations[0].attachmentId', { destinations: [dest('customer', '172.16.10.0/24', 'tgw-0f1e2d3c4b5a69788')] }],
    ['CP110', 'destinations[1].name', { destinations: [dest('customer', '172.16.10.0/24'), dest('customer', '172.16.20.0/24')] }],
    ['CP110', 'destinations[1].cidr', { destinations: [dest('a', '172.16.10.0/24'), dest('b', '172.16.10.0/24')] }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => attachment(s, extra))).toEqual([[code, field]]);
  });

  test('several problems together', () => {
    expect(refused((s) => attachment(s, { vlanId: 0, destinations: [dest('a', '172.16.10.0/24'), dest('a', 'none')] }))).toEqual([
      ['CP102', 'vlanId'],
      ['CP105', 'destinations[1].cidr'],
      ['CP110', 'destinations[1].name'],
    ]);
  });
});

describe('Gateway', () => {
  test.each<[string, string, Partial<GatewayProps>]>([
    ['CP108', 'name', { name: 'Test T' }],
    ['CP108', 'imageId', { imageId: 'ami-latest' }],
    ['CP108', 'instanceType', { instanceType: 'large' }],
    ['CP102', 'rootVolumeGiB', { rootVolumeGiB: 16385 }],
    ['CP105', 'managementCidr', { managementCidr: '10.255.0.0' }],
    ['CP105', 'customerCidrs[0]', { customerCidrs: ['172.16.10.0/33'] }],
    ['CP110', 'customerCidrs[1]', { customerCidrs: ['172.16.10.0/24', '172.16.10.0/24'] }],
    ['CP108', 'publicServices[0].name', { publicServices: [{ name: 'IKE', protocol: 'udp', port: 500 }] }],
    ['CP108', 'publicServices[0].protocol', { publicServices: [{ name: 'ike', protocol: 'UDP', port: 500 }] }],
    ['CP102', 'managementPorts[0].port', { managementPorts: [{ name: 'ssh', protocol: 'tcp', port: 65536 }] }],
    ['CP113', 'internetEgress[0].port', { internetEgress: [{ name: 'gre', protocol: '47', port: 1 }] }],
    ['CP110', 'publicServices[1].name', { publicServices: [{ name: 'ike', protocol: 'udp', port: 500 }, { name: 'ike', protocol: 'udp', port: 4500 }] }],
    ['CP111', 'logPrefixes[0]', { logPrefixes: ['logs/elsewhere/'] }],
    ['CP108', 'alarmTopicArn', { alarmTopicArn: 'ops-topic' }],
    ['CP103', 'baselineMbps', { baselineMbps: 0 }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => gateway(s, extra))).toEqual([[code, field]]);
  });

  test('CP109 logPrefixes[0] (and, not being a retention prefix, CP111)', () => {
    expect(refused((s) => gateway(s, { logPrefixes: ['/logs/vpn-connection/'] }))).toEqual([
      ['CP109', 'logPrefixes[0]'],
      ['CP111', 'logPrefixes[0]'],
    ]);
  });

  test.each([0, 0.5, 16385, -20])('CP102: rootVolumeGiB %p is outside EBS gp3 (1-16384 GiB)', (size) => {
    expect(refused((s) => gateway(s, { rootVolumeGiB: size }))).toEqual([['CP102', 'rootVolumeGiB']]);
  });

  test.each([1, 20, 16384])('rootVolumeGiB %p is accepted', (size) => {
    expect(() => synthConstructs((s) => gateway(s, { rootVolumeGiB: size }))).not.toThrow();
  });

  test('GRE (protocol 47) without a port, and the whole protocol (-1), are accepted', () => {
    expect(() => synthConstructs((s) => gateway(s, { publicServices: [{ name: 'gre', protocol: '47' }], internetEgress: [{ name: 'all', protocol: '-1' }] }))).not.toThrow();
  });

  test('several problems together, before the security group or instance exist', () => {
    const app = Testing.app() as App;
    const stack = new TerraformStack(app, 'test');
    let error: unknown;
    try {
      gateway(stack, { instanceType: 'c6i', rootVolumeGiB: 0, managementCidr: 'anywhere', publicServices: [{ name: 'ike', protocol: 'udp', port: 0 }] });
    } catch (e) {
      error = e;
    }
    expect((error as ConstructPropsError).problems.map((p) => [p.code, p.field])).toEqual([
      ['CP108', 'instanceType'],
      ['CP102', 'rootVolumeGiB'],
      ['CP105', 'managementCidr'],
      ['CP102', 'publicServices[0].port'],
    ]);
    expect(stack.node.findAll().filter((c) => c.node.path.startsWith('test/Gateway/'))).toEqual([]);
  });
});

describe('GatewayAlarms', () => {
  test.each<[string, string, Partial<GatewayAlarmsProps>]>([
    ['CP108', 'topicArn', { topicArn: 'arn:aws:sqs:ap-northeast-1:111122223333:ops' }],
    ['CP103', 'baselineMbps', { baselineMbps: -1 }],
    ['CP103', 'cpuThresholdPercent', { cpuThresholdPercent: 101 }],
    ['CP103', 'networkThreshold', { networkThreshold: 0 }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => alarms(s, extra))).toEqual([[code, field]]);
  });

  test('several problems together', () => {
    expect(refused((s) => alarms(s, { baselineMbps: Number.NaN, cpuThresholdPercent: 0, networkThreshold: 1.5 }))).toEqual([
      ['CP103', 'baselineMbps'],
      ['CP103', 'cpuThresholdPercent'],
      ['CP103', 'networkThreshold'],
    ]);
  });
});

describe('GatewayConfiguration', () => {
  test.each<[string, string, Partial<GatewayConfigurationProps>]>([
    ['CP108', 'configurationHash', { configurationHash: 'abc123' }],
    ['CP108', 'playbookFile', { playbookFile: '' }],
    ['CP108', 'remoteUser', { remoteUser: 'root user' }],
  ])('%s %s', (code, field, extra) => {
    expect(refused((s) => configuration(s, extra))).toEqual([[code, field]]);
  });

  test('several problems together', () => {
    expect(refused((s) => configuration(s, { configurationHash: '', inventoryFile: 'a\0b', ansiblePlaybook: '' }))).toEqual([
      ['CP108', 'configurationHash'],
      ['CP108', 'inventoryFile'],
      ['CP108', 'ansiblePlaybook'],
    ]);
  });
});
