/**
 * Every rule: its compliant case(s), where it does not apply, and each way it can be broken,
 * asserting the exact finding (resource, attribute, what was found).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ISO27017_PACK } from '../../policies/packs/iso27017';
import type { Finding, RuleResult } from '../../policies/types';
import { evaluateFleet } from '../../policies/evaluate';
import type { PackEntry } from '../../policies/packs/pack';
import { activeTenant, input, terminatedTenant, toView, type Fixture, type Json } from './fixtures';
import { devicePkiFixture, type DevicePkiFixture } from './device-pki-fixture';

interface Broken {
  readonly name: string;
  readonly base?: () => Fixture;
  readonly others?: () => Fixture[];
  readonly mutate: (f: Fixture) => void;
  readonly finding: Partial<Finding>;
}

interface RuleCases {
  readonly compliant: (() => Fixture)[];
  readonly notApplicable?: (() => Fixture)[];
  readonly broken: Broken[];
}

const A = (): Fixture => activeTenant();
const T = (): Fixture => terminatedTenant();
const res = (f: Fixture, type: string, name: string): Json => f.tf.resource[type][name];
const tagsOf = (f: Fixture): Json => f.tf.provider.aws[0].default_tags[0].tags;
const policyOf = (f: Fixture): Json => JSON.parse(res(f, 'aws_iam_role_policy', 'Write').policy);
const setPolicy = (f: Fixture, p: Json): void => {
  res(f, 'aws_iam_role_policy', 'Write').policy = JSON.stringify(p);
};
const trail = (f: Fixture): Json => f.fleet!.resource.aws_cloudtrail.Runs;
const lifecycle = (f: Fixture): Json[] => res(f, 'aws_s3_bucket_lifecycle_configuration', 'Lifecycle').rule;
const other = (vlan = '102', cidr = '10.64.1.0/24', pool = '10.128.4.0/24'): (() => Fixture[]) => () => [activeTenant('other', vlan, cidr, pool)];
const notRendered = { resource: 'ansible/ (inventory.yml, group_vars/, host_vars/)', found: 'gateway configuration not rendered' };
const HV = 'ansible/host_vars/t-gateway.yml';
const OPT_IN = { approved_by: 'CIO', approved_on: '2019-02-14', reason: 'Old handhelds only speak 3DES.' };
let pki: DevicePkiFixture;
beforeAll(async () => {
  pki = await devicePkiFixture();
});
const DPKI = 'strongswan_device_pki';
/** An active tenant with closed mobile access: the carrier subnet, its own route table, interface and security group. */
const M = (): Fixture => {
  const f = activeTenant();
  const r = f.tf.resource;
  const ref = (address: string, attr: string): string => `\${${address}.${attr}}`;
  r.aws_subnet.Carrier = { vpc_id: ref('aws_vpc.Vpc', 'id'), cidr_block: '10.64.0.128/26', availability_zone: 'ap-northeast-1a', map_public_ip_on_launch: false };
  r.aws_route_table.Carrier = { vpc_id: ref('aws_vpc.Vpc', 'id') };
  r.aws_route_table_association = { Carrier: { subnet_id: ref('aws_subnet.Carrier', 'id'), route_table_id: ref('aws_route_table.Carrier', 'id') } };
  r.aws_route.CarrierRange = { route_table_id: ref('aws_route_table.Carrier', 'id'), destination_cidr_block: '100.64.0.0/16', transit_gateway_id: 'tgw-0a1b2c3d4e5f60718' };
  r.aws_security_group.CarrierSg = { vpc_id: ref('aws_vpc.Vpc', 'id'), name: 't-gateway-carrier' };
  for (const [name, port] of [['CarrierIke', 500], ['CarrierNatT', 4500]] as const) {
    r.aws_vpc_security_group_ingress_rule[name] = { security_group_id: ref('aws_security_group.CarrierSg', 'id'), cidr_ipv4: '100.64.0.0/16', ip_protocol: 'udp', from_port: port, to_port: port };
  }
  r.aws_network_interface = {
    Carrier: { subnet_id: ref('aws_subnet.Carrier', 'id'), private_ips: ['10.64.0.138'], security_groups: [ref('aws_security_group.CarrierSg', 'id')], attachment: [{ instance: ref('aws_instance.Gateway', 'id'), device_index: 1 }] },
  };
  return f;
};

/** An active tenant whose gateway carries a device PKI. */
const D = (): Fixture => {
  const f = activeTenant();
  f.vars![DPKI] = structuredClone(pki.vars);
  return f;
};
const dpki = (f: Fixture): Json => f.vars![DPKI];

const CASES: Record<string, RuleCases> = {
  ProviderRegionIsInJapan: {
    compliant: [A, T],
    broken: [
      { name: 'region outside Japan', mutate: (f) => (f.tf.provider.aws[0].region = 'us-east-1'), finding: { resource: 'provider.aws[0]', path: 'region', found: 'us-east-1' } },
      { name: 'region as a reference', mutate: (f) => (f.tf.provider.aws[0].region = '${var.region}'), finding: { resource: 'provider.aws[0]', found: '${var.region}' } },
      { name: 'aliased provider abroad', mutate: (f) => f.tf.provider.aws.push({ alias: 'eu', region: 'eu-west-1' }), finding: { resource: 'provider.aws[1]', found: 'eu-west-1' } },
      { name: 'no provider', mutate: (f) => delete f.tf.provider.aws, finding: { resource: 'provider.aws', found: '(absent)' } },
    ],
  },
  EveryRegionReferenceIsInJapan: {
    compliant: [A, T],
    broken: [
      { name: 'state backend abroad', mutate: (f) => (f.tf.terraform.backend.s3.region = 'us-west-2'), finding: { resource: 'terraform.backend', path: 's3.region', found: 'us-west-2' } },
      { name: 'backend region unresolvable', mutate: (f) => (f.tf.terraform.backend.s3.region = '${var.r}'), finding: { resource: 'terraform.backend', found: '${var.r}' } },
      { name: 'subnet in a foreign zone', mutate: (f) => (res(f, 'aws_subnet', 'Public').availability_zone = 'eu-west-1a'), finding: { resource: 'aws_subnet.Public', path: 'availability_zone', found: 'eu-west-1a' } },
      {
        name: 'alarm topic abroad',
        mutate: (f) => (res(f, 'aws_cloudwatch_metric_alarm', 'Cpu').alarm_actions = ['arn:aws:sns:us-east-1:111122223333:ops']),
        finding: { resource: 'aws_cloudwatch_metric_alarm.Cpu', path: 'alarm_actions[0]', found: 'arn:aws:sns:us-east-1:111122223333:ops' },
      },
    ],
  },
  CustomerLogsApartFromProviderLogs: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'flow logs into a customer stream', mutate: (f) => (res(f, 'aws_flow_log', 'FlowLog').log_destination = 'arn:aws:s3:::b/logs/vpn-connection/'), finding: { resource: 'aws_flow_log.FlowLog', path: 'log_destination' } },
      {
        name: 'gateway may write the flow-log provider prefix',
        mutate: (f) => {
          const p = policyOf(f);
          p.Statement[0].Resource.push('arn:aws:s3:::b/provider/flow-logs/*');
          setPolicy(f, p);
        },
        finding: { resource: 'aws_iam_role_policy.Write', path: 'policy.Statement[0].Resource[5]', found: 'arn:aws:s3:::b/provider/flow-logs/*' },
      },
      { name: 'no log writer on an active tenant', mutate: (f) => delete f.tf.resource.aws_iam_role_policy, finding: { resource: 'aws_iam_role_policy', found: '(absent)' } },
      { name: 'policy not literal', mutate: (f) => (res(f, 'aws_iam_role_policy', 'Write').policy = '${data.aws_iam_policy_document.x.json}'), finding: { resource: 'aws_iam_role_policy.Write', path: 'policy' } },
    ],
  },
  ServiceCodesTaggedOnEveryResource: {
    compliant: [A, T],
    broken: [
      { name: 'service code missing', mutate: (f) => delete tagsOf(f)['ras:service-code:gateway'], finding: { path: 'default_tags[0].tags["ras:service-code:gateway"]', found: '(absent)' } },
      { name: 'label for a code not held', mutate: (f) => (tagsOf(f)['ras:label:RAX-9'] = 'x'), finding: { path: 'default_tags[0].tags["ras:label:RAX-9"]' } },
      { name: 'resource overrides a tag', mutate: (f) => (res(f, 'aws_vpc', 'Vpc').tags['ras:tenant'] = 'someone-else'), finding: { resource: 'aws_vpc.Vpc', path: 'tags["ras:tenant"]', found: 'someone-else' } },
      { name: 'tenant tag is another tenant', mutate: (f) => (tagsOf(f)['ras:tenant'] = 'x'), finding: { path: 'default_tags[0].tags["ras:tenant"]', found: 'x', required: "the stack's tenant t" } },
      { name: 'status missing', mutate: (f) => delete tagsOf(f)['ras:status'], finding: { path: 'default_tags[0].tags["ras:status"]' } },
    ],
  },
  LogArchiveErasedWithin45DaysOfTermination: {
    compliant: [T],
    notApplicable: [A],
    broken: [
      {
        name: 'erasure 60 days after termination',
        base: T,
        mutate: (f) => (lifecycle(f)[6].expiration[0].date = '2027-01-14T00:00:00Z'),
        finding: { resource: 'aws_s3_bucket_lifecycle_configuration.Lifecycle', path: 'rule[6].expiration.date + noncurrent_days', found: '2027-01-14T00:00:00Z + 1 days' },
      },
      { name: 'noncurrent versions kept past the deadline', base: T, mutate: (f) => (lifecycle(f)[6].noncurrent_version_expiration[0].noncurrent_days = 10), finding: { found: '2026-12-25T00:00:00Z + 10 days' } },
      { name: 'no erase-all rule', base: T, mutate: (f) => lifecycle(f).pop(), finding: { resource: 'aws_s3_bucket.Bucket', path: 'lifecycle' } },
      { name: 'erase-all rule disabled', base: T, mutate: (f) => (lifecycle(f)[6].status = 'Disabled'), finding: { resource: 'aws_s3_bucket.Bucket' } },
      { name: 'termination date not tagged', base: T, mutate: (f) => delete tagsOf(f)['ras:termination-date'], finding: { path: 'default_tags[0].tags["ras:termination-date"]', found: '(absent)' } },
    ],
  },
  TerminatedTenantKeepsNoGateway: {
    compliant: [T],
    notApplicable: [A],
    broken: [{ name: 'gateway left running', base: T, mutate: (f) => (f.tf.resource.aws_instance = { Gateway: { ami: 'ami-0c0ffee0123456789' } }), finding: { resource: 'aws_instance.Gateway' } }],
  },
  PortalHasAdministrator: {
    compliant: [A],
    broken: [
      { name: 'no administrator', mutate: (f) => (f.portal!.operators[0].role = 'viewer'), finding: { resource: 'portal.json', path: 'operators[].role' } },
      { name: 'operator registered twice', mutate: (f) => f.portal!.operators.push({ id: 'admin', role: 'viewer', emailRegistered: true }), finding: { path: 'operators[].id', found: 'admin' } },
      { name: 'portal settings not rendered', mutate: (f) => (f.portal = undefined), finding: { resource: 'portal.json', found: 'portal.json not rendered' } },
    ],
  },
  EveryOperatorHasKnownRole: {
    compliant: [A],
    broken: [
      { name: 'unknown role', mutate: (f) => (f.portal!.operators[1].role = 'root'), finding: { path: 'operators[1].role', found: 'root' } },
      { name: 'no operators', mutate: (f) => (f.portal!.operators = []), finding: { path: 'operators' } },
      { name: 'malformed portal settings', mutate: (f) => (f.portal!.twoFactorRequired = 'yes'), finding: { resource: 'portal.json', found: 'portal.json: twoFactorRequired is not a boolean' } },
    ],
  },
  PortalRequiresTwoFactor: { compliant: [A], broken: [{ name: 'two-factor off', mutate: (f) => (f.portal!.twoFactorRequired = false), finding: { path: 'twoFactorRequired', found: 'false' } }] },
  PortalRestrictsSourceAddresses: {
    compliant: [A],
    broken: [
      { name: 'no source networks', mutate: (f) => (f.portal!.allowedSourceCidrs = []), finding: { path: 'allowedSourceCidrs' } },
      { name: 'the whole internet', mutate: (f) => (f.portal!.allowedSourceCidrs = ['0.0.0.0/0']), finding: { path: 'allowedSourceCidrs[0]', found: '0.0.0.0/0' } },
      { name: 'not a CIDR', mutate: (f) => (f.portal!.allowedSourceCidrs = ['office']), finding: { path: 'allowedSourceCidrs[0]', found: 'office' } },
    ],
  },
  PortalLocksAccountAfterFailedLogins: {
    compliant: [A],
    broken: [
      { name: 'no lock', mutate: (f) => (f.portal!.lockoutThreshold = 0), finding: { path: 'lockoutThreshold', found: '0' } },
      { name: 'too many attempts', mutate: (f) => (f.portal!.lockoutThreshold = 50), finding: { found: '50' } },
      { name: 'not a whole number', mutate: (f) => (f.portal!.lockoutThreshold = 2.5), finding: { found: '2.5' } },
    ],
  },
  OperatorsReachableForChangeNotices: {
    compliant: [A],
    broken: [{ name: 'no registered e-mail', mutate: (f) => f.portal!.operators.forEach((o: Json) => (o.emailRegistered = false)), finding: { path: 'operators[].emailRegistered' } }],
  },
  GatewayRoleOnlyWritesOwnLogs: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      {
        name: 'wildcard action',
        mutate: (f) => {
          const p = policyOf(f);
          p.Statement[0].Action = 's3:*';
          setPolicy(f, p);
        },
        finding: { resource: 'aws_iam_role_policy.Write', path: 'policy.Statement[0].Action', found: 's3:*' },
      },
      {
        name: 'wildcard resource',
        mutate: (f) => {
          const p = policyOf(f);
          p.Statement[1].Resource = '*';
          setPolicy(f, p);
        },
        finding: { path: 'policy.Statement[1].Resource[0]', found: '*' },
      },
      {
        name: 'managed policy attached',
        mutate: (f) => (f.tf.resource.aws_iam_role_policy_attachment = { Admin: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
        finding: { resource: 'aws_iam_role_policy_attachment.Admin', found: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      },
      { name: 'managed policies on the role', mutate: (f) => (res(f, 'aws_iam_role', 'Role').managed_policy_arns = ['arn:aws:iam::aws:policy/ReadOnlyAccess']), finding: { resource: 'aws_iam_role.Role', path: 'managed_policy_arns' } },
    ],
  },
  GatewayOffersNoBypassUtility: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'Session Manager document left after termination', base: T, mutate: (f) => (f.tf.resource.aws_ssm_document = { Shell: { name: 'shell' } }), finding: { resource: 'aws_ssm_document.Shell' } },
      { name: 'user data', mutate: (f) => (res(f, 'aws_instance', 'Gateway').user_data = '#!/bin/sh'), finding: { resource: 'aws_instance.Gateway', path: 'user_data' } },
      {
        // The operations accounts' cloud-config is accepted (the examples, which carry it, pass `ras check`: check-cli.test.ts); a command in it is not.
        name: 'a cloud-config that runs a command at boot',
        mutate: (f) => (res(f, 'aws_instance', 'Gateway').user_data = '#cloud-config\nusers: [{ name: rasops }]\nruncmd: [[curl, -o, /tmp/x, http://example.invalid]]\n'),
        finding: { resource: 'aws_instance.Gateway', path: 'user_data' },
      },
      {
        name: 'a cloud-config writing outside sshd_config.d',
        mutate: (f) => (res(f, 'aws_instance', 'Gateway').user_data = '#cloud-config\nwrite_files: [{ path: /etc/cron.d/x, content: "* * * * * root id" }]\n'),
        finding: { resource: 'aws_instance.Gateway', path: 'user_data' },
      },
      { name: 'remote-exec provisioner', mutate: (f) => (res(f, 'aws_instance', 'Gateway').provisioner = [{ 'remote-exec': { inline: ['id'] } }]), finding: { resource: 'aws_instance.Gateway', path: 'provisioner[0]' } },
      {
        name: 'session manager actions',
        mutate: (f) => {
          const p = policyOf(f);
          p.Statement.push({ Effect: 'Allow', Action: 'ssm:StartSession', Resource: 'arn:aws:ec2:ap-northeast-1:1:instance/i-1' });
          setPolicy(f, p);
        },
        finding: { path: 'policy.Statement[2].Action', found: 'ssm:StartSession' },
      },
      { name: 'SSM association', mutate: (f) => (f.tf.resource.aws_ssm_association = { Run: { name: 'AWS-RunShellScript' } }), finding: { resource: 'aws_ssm_association.Run' } },
      {
        name: 'Session Manager managed policy',
        mutate: (f) => (f.tf.resource.aws_iam_role_policy_attachment = { Ssm: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' } }),
        finding: { resource: 'aws_iam_role_policy_attachment.Ssm', path: 'policy_arn' },
      },
    ],
  },
  TenantHasOwnVpc: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'two VPCs', mutate: (f) => (f.tf.resource.aws_vpc.Second = { cidr_block: '10.70.0.0/24' }), finding: { resource: 'aws_vpc', found: '2 VPCs' } },
      { name: 'subnet in a foreign VPC', mutate: (f) => (res(f, 'aws_subnet', 'Public').vpc_id = 'vpc-0123456789abcdef0'), finding: { resource: 'aws_subnet.Public', path: 'vpc_id', found: 'vpc-0123456789abcdef0' } },
      { name: 'VPC range unresolvable', mutate: (f) => (res(f, 'aws_vpc', 'Vpc').cidr_block = '${var.cidr}'), finding: { resource: 'aws_vpc.Vpc', path: 'cidr_block' } },
    ],
  },
  TenantDataEncryptedWithOwnKey: {
    compliant: [A, T],
    broken: [
      { name: 'no encryption configuration', mutate: (f) => delete f.tf.resource.aws_s3_bucket_server_side_encryption_configuration, finding: { resource: 'aws_s3_bucket.Bucket' } },
      {
        name: 'S3-managed keys',
        mutate: (f) => (res(f, 'aws_s3_bucket_server_side_encryption_configuration', 'Sse').rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'AES256' }),
        finding: { resource: 'aws_s3_bucket_server_side_encryption_configuration.Sse', found: 'AES256' },
      },
      {
        name: "another account's key",
        mutate: (f) => (res(f, 'aws_s3_bucket_server_side_encryption_configuration', 'Sse').rule[0].apply_server_side_encryption_by_default.kms_master_key_id = 'arn:aws:kms:ap-northeast-1:999999999999:key/x'),
        finding: { found: 'arn:aws:kms:ap-northeast-1:999999999999:key/x' },
      },
      { name: 'no key of its own', mutate: (f) => delete f.tf.resource.aws_kms_key, finding: { resource: 'aws_kms_key' } },
    ],
  },
  GatewayRequiresImdsV2: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'IMDSv1 allowed', mutate: (f) => (res(f, 'aws_instance', 'Gateway').metadata_options.http_tokens = 'optional'), finding: { resource: 'aws_instance.Gateway', path: 'metadata_options.http_tokens', found: 'optional' } },
      { name: 'metadata options absent', mutate: (f) => delete res(f, 'aws_instance', 'Gateway').metadata_options, finding: { found: '(absent)' } },
      { name: 'no gateway on an active tenant', mutate: (f) => delete f.tf.resource.aws_instance, finding: { resource: 'aws_instance' } },
    ],
  },
  GatewayRootVolumeEncryptedWithTenantKey: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'root volume unencrypted', mutate: (f) => (res(f, 'aws_instance', 'Gateway').root_block_device.encrypted = false), finding: { path: 'root_block_device.encrypted', found: 'false' } },
      { name: 'AWS-managed key', mutate: (f) => (res(f, 'aws_instance', 'Gateway').root_block_device.kms_key_id = 'alias/aws/ebs'), finding: { path: 'root_block_device.kms_key_id', found: 'alias/aws/ebs' } },
      { name: 'extra disk unencrypted', mutate: (f) => (res(f, 'aws_instance', 'Gateway').ebs_block_device = [{ device_name: '/dev/sdb' }]), finding: { path: 'ebs_block_device[0].encrypted' } },
    ],
  },
  NoManagementPortOpenToInternet: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      {
        name: 'SSH open to 0.0.0.0/0',
        mutate: (f) => (res(f, 'aws_vpc_security_group_ingress_rule', 'Ssh').cidr_ipv4 = '0.0.0.0/0'),
        finding: { resource: 'aws_vpc_security_group_ingress_rule.Ssh', path: 'cidr_ipv4', found: '0.0.0.0/0 → tcp/22' },
      },
      {
        name: 'everything from ::/0',
        mutate: (f) => (f.tf.resource.aws_vpc_security_group_ingress_rule.All = { security_group_id: 'x', cidr_ipv6: '::/0', ip_protocol: '-1' }),
        finding: { resource: 'aws_vpc_security_group_ingress_rule.All', path: 'cidr_ipv6', found: '::/0 → all protocols' },
      },
      {
        name: 'range covering node_exporter',
        mutate: (f) => (f.tf.resource.aws_vpc_security_group_ingress_rule.Range = { security_group_id: 'x', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 9000, to_port: 9200 }),
        finding: { found: '0.0.0.0/0 → tcp/9000-9200', required: 'node-exporter (tcp/9100) only from a restricted network' },
      },
      {
        name: 'RDP in an inline group rule',
        mutate: (f) => (res(f, 'aws_security_group', 'Sg').ingress = [{ protocol: 'tcp', from_port: 3389, to_port: 3389, cidr_blocks: ['0.0.0.0/0'] }]),
        finding: { resource: 'aws_security_group.Sg', path: 'ingress[0].cidr_blocks' },
      },
      { name: 'SSH from an unresolvable source', mutate: (f) => (res(f, 'aws_vpc_security_group_ingress_rule', 'Ssh').cidr_ipv4 = '${var.admin}'), finding: { resource: 'aws_vpc_security_group_ingress_rule.Ssh' } },
    ],
  },
  DefaultSecurityGroupIsClosed: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'default group not taken over', mutate: (f) => delete f.tf.resource.aws_default_security_group, finding: { resource: 'aws_vpc.Vpc', path: 'default security group' } },
      { name: 'default group allows traffic', mutate: (f) => (res(f, 'aws_default_security_group', 'Default').ingress = [{ protocol: '-1', self: true }]), finding: { resource: 'aws_default_security_group.Default', path: 'ingress' } },
    ],
  },
  PublicPortsMatchEnabledProtocols: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'gateway variables missing', mutate: (f) => (f.vars = undefined), finding: notRendered },
      {
        name: 'a port no protocol needs',
        mutate: (f) => (f.tf.resource.aws_vpc_security_group_ingress_rule.Web = { security_group_id: 'x', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 }),
        finding: { resource: 'aws_vpc_security_group_ingress_rule.Web', found: 'tcp/443 from 0.0.0.0/0' },
      },
      { name: 'enabled PPTP not reachable', mutate: (f) => (f.vars!.strongswan_pptp_enabled = true), finding: { found: 'not open', required: 'tcp/1723 (PPTP) open for the enabled protocols' } },
      { name: 'protocol flag missing', mutate: (f) => delete f.vars!.strongswan_ikev2_enabled, finding: { resource: HV, path: 'strongswan_ikev2_enabled', found: '(absent)' } },
    ],
  },
  GatewayCryptoWithinProfile: {
    compliant: [
      A,
      () => {
        const f = A();
        Object.assign(f.vars!, { strongswan_crypto_profile: 'legacy', strongswan_legacy_opt_in: true, strongswan_pptp_enabled: true, ras_tenant: { legacy_crypto_opt_in: OPT_IN } });
        return f;
      },
    ],
    notApplicable: [T],
    broken: [
      { name: 'legacy profile without opt-in', mutate: (f) => (f.vars!.strongswan_crypto_profile = 'legacy'), finding: { resource: HV, path: 'strongswan_crypto_profile', found: 'legacy profile' } },
      { name: 'PPTP without opt-in', mutate: (f) => (f.vars!.strongswan_pptp_enabled = true), finding: { path: 'strongswan_pptp_enabled', found: 'PPTP (MPPE 128)' } },
      {
        name: '3DES proposal without opt-in',
        mutate: (f) => (f.vars!.strongswan_crypto_profiles = { strong: { ikev2_proposals: ['aes256-sha256-modp2048', '3des-sha1-modp1024'] } }),
        finding: { path: 'strongswan_crypto_profiles.strong', found: '3des-sha1-modp1024 (3des, modp1024)' },
      },
      {
        name: 'legacy algorithm in one proposal with a stronger one (even under the opt-in)',
        mutate: (f) =>
          Object.assign(f.vars!, { strongswan_crypto_profile: 'legacy', strongswan_legacy_opt_in: true, strongswan_crypto_profiles: { legacy: { ikev2_proposals: ['aes256-sha256-modp2048', 'aes256-aes128-3des-sha256-sha1-modp2048-modp1024'] } } }),
        finding: { path: 'strongswan_crypto_profiles.legacy.ikev2_proposals', found: 'aes256-aes128-3des-sha256-sha1-modp2048-modp1024 mixes legacy 3des with aes256, aes128 in one proposal' },
      },
      {
        name: 'legacy proposal before a stronger one (even under the opt-in)',
        mutate: (f) => Object.assign(f.vars!, { strongswan_crypto_profile: 'legacy', strongswan_legacy_opt_in: true, strongswan_crypto_profiles: { legacy: { ikev2_esp_proposals: ['3des-sha1', 'aes256gcm16'] } } }),
        finding: { path: 'strongswan_crypto_profiles.legacy.ikev2_esp_proposals', found: 'aes256gcm16 comes after the legacy proposal 3des-sha1' },
      },
      { name: 'unknown profile', mutate: (f) => (f.vars!.strongswan_crypto_profile = 'weak'), finding: { path: 'strongswan_crypto_profile', found: 'weak' } },
      { name: 'opt-in flag missing', mutate: (f) => delete f.vars!.strongswan_legacy_opt_in, finding: { path: 'strongswan_legacy_opt_in', found: '(absent)' } },
      { name: 'gateway variables missing', mutate: (f) => (f.vars = undefined), finding: notRendered },
    ],
  },
  GatewayCiphersAreWhitepaperListed: {
    compliant: [
      A,
      () => {
        const f = A();
        f.vars!.strongswan_crypto_profiles = { strong: { esp: ['aes256gcm16-aes128gcm16', '3des-sha1', 'aes192-sha256'] } };
        return f;
      },
    ],
    notApplicable: [T],
    broken: [
      { name: 'unlisted cipher', mutate: (f) => (f.vars!.strongswan_crypto_profiles = { strong: { esp: ['chacha20poly1305-prfsha256-x25519'] } }), finding: { found: 'chacha20poly1305-prfsha256-x25519' } },
      { name: 'null encryption', mutate: (f) => (f.vars!.strongswan_crypto_profiles = { strong: { esp: ['null-sha256'] } }), finding: { found: 'null-sha256' } },
      { name: 'unknown profile', mutate: (f) => (f.vars!.strongswan_crypto_profile = 'custom'), finding: { path: 'strongswan_crypto_profile', found: 'custom' } },
      { name: 'gateway variables missing', mutate: (f) => (f.vars = undefined), finding: notRendered },
    ],
  },
  LogArchiveRequiresTls: {
    compliant: [A, T],
    broken: [
      { name: 'no bucket policy', mutate: (f) => delete f.tf.resource.aws_s3_bucket_policy, finding: { resource: 'aws_s3_bucket.Bucket', path: 'policy' } },
      {
        name: 'TLS not required',
        mutate: (f) => (res(f, 'aws_s3_bucket_policy', 'Policy').policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] })),
        finding: { resource: 'aws_s3_bucket_policy.Policy', found: 'no such statement' },
      },
      {
        name: 'objects not covered',
        mutate: (f) => {
          const p = JSON.parse(res(f, 'aws_s3_bucket_policy', 'Policy').policy);
          p.Statement[0].Resource = [p.Statement[0].Resource[0]];
          res(f, 'aws_s3_bucket_policy', 'Policy').policy = JSON.stringify(p);
        },
        finding: { resource: 'aws_s3_bucket_policy.Policy' },
      },
    ],
  },
  GatewaySizedForDeclaredTerminals: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'instance larger than declared', mutate: (f) => (res(f, 'aws_instance', 'Gateway').instance_type = 'c6i.xlarge'), finding: { resource: 'aws_instance.Gateway', path: 'instance_type', found: 'c6i.xlarge' } },
      { name: 'too small for the declared terminals', mutate: (f) => (tagsOf(f)['ras:declared-terminals'] = '3000'), finding: { found: 'c6i.large', required: 'c6i.4xlarge (size class xlarge for 3000 terminals, 150 requests/s)' } },
      { name: 'declared figure missing', mutate: (f) => delete tagsOf(f)['ras:declared-rps'], finding: { path: 'default_tags[0].tags["ras:declared-rps"]' } },
      { name: 'beyond the largest class', mutate: (f) => (tagsOf(f)['ras:declared-terminals'] = '20000'), finding: { found: '20000 terminals, 150 requests/s' } },
    ],
  },
  TenantStateInEncryptedLockedBackend: {
    compliant: [A, T],
    broken: [
      { name: 'state unencrypted', mutate: (f) => (f.tf.terraform.backend.s3.encrypt = false), finding: { resource: 'terraform.backend.s3', path: 'encrypt', found: 'false' } },
      { name: 'state not locked', mutate: (f) => delete f.tf.terraform.backend.s3.use_lockfile, finding: { path: 'use_lockfile' } },
      { name: "another tenant's state", mutate: (f) => (f.tf.terraform.backend.s3.key = 'tenants/x/terraform.tfstate'), finding: { path: 'key', found: 'tenants/x/terraform.tfstate' } },
      { name: 'local state', mutate: (f) => (f.tf.terraform.backend = { local: { path: 'x' } }), finding: { resource: 'terraform.backend', path: 's3' } },
    ],
  },
  OperatorWorkIsLogged: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'no operator stream rendered', mutate: (f) => delete f.vars!.logs_operator_stream, finding: { resource: HV, path: 'logs_operator_stream', found: '(absent)' } },
      {
        name: 'operator work shipped under a customer prefix',
        mutate: (f) => (f.vars!.logs_operator_stream = { id: 'operator-work', prefix: 'logs/vpn-connection/' }),
        finding: { path: 'logs_operator_stream', found: '{"id":"operator-work","prefix":"logs/vpn-connection/"}' },
      },
      { name: 'sudo not fed into the stream', mutate: (f) => (f.vars!.logs_operator_sources = ['sshd', 'auditd']), finding: { path: 'logs_operator_sources', found: '["sshd","auditd"]' } },
      { name: 'auditd not installed', mutate: (f) => (f.vars!.hardening_packages = ['openssh-server', 'sudo']), finding: { path: 'hardening_packages', found: 'without auditd' } },
      {
        name: 'gateway cannot ship the stream',
        mutate: (f) => {
          const p = policyOf(f);
          p.Statement[0].Resource.splice(4, 1);
          setPolicy(f, p);
        },
        finding: { required: "s3:PutObject on the archive's provider/operator-work/*" },
      },
      { name: 'kept 90 days only', mutate: (f) => (lifecycle(f)[5].expiration[0].days = 90), finding: { path: 'rule[5].expiration.days (operator-work-retention, prefix provider/operator-work/)', found: '90' } },
      { name: 'gateway variables missing', mutate: (f) => (f.vars = undefined), finding: notRendered },
    ],
  },
  TerraformRunsAreRecorded: {
    compliant: [A, T],
    broken: [
      { name: 'no fleet stack in the output makes the state bucket', mutate: (f) => delete f.fleet, finding: { resource: 'terraform.backend.s3', path: 'bucket', found: 'state' } },
      { name: 'local state', mutate: (f) => (f.tf.terraform.backend = { local: { path: 'x' } }), finding: { resource: 'terraform.backend', path: 's3.bucket' } },
      { name: 'no trail', mutate: (f) => delete f.fleet!.resource.aws_cloudtrail, finding: { resource: 'fleet_ap-northeast-1: aws_cloudtrail', found: 'no trail' } },
      { name: 'the trail records another bucket', mutate: (f) => (trail(f).event_selector[0].data_resource[0].values = ['arn:aws:s3:::other/']), finding: { found: 'no trail recording this bucket' } },
      { name: 'the trail records reads only', mutate: (f) => (trail(f).event_selector[0].read_write_type = 'ReadOnly'), finding: { found: 'no trail recording this bucket' } },
      { name: 'no digest files', mutate: (f) => (trail(f).enable_log_file_validation = false), finding: { resource: 'fleet_ap-northeast-1: aws_cloudtrail.Runs', path: 'enable_log_file_validation', found: 'false' } },
      { name: 'trail stopped', mutate: (f) => (trail(f).enable_logging = false), finding: { path: 'enable_logging', found: 'false' } },
      { name: 'records kept 90 days', mutate: (f) => (f.fleet!.resource.aws_s3_bucket_lifecycle_configuration.RecordsLifecycle.rule[0].expiration[0].days = 90), finding: { path: 'rule[0].expiration.days', found: '90' } },
      {
        name: 'a bucket-wide rule expires the records sooner',
        mutate: (f) => f.fleet!.resource.aws_s3_bucket_lifecycle_configuration.RecordsLifecycle.rule.push({ id: 'all', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] }),
        finding: { path: 'rule[1].expiration.days', found: '30' },
      },
      { name: 'records written elsewhere', mutate: (f) => (trail(f).s3_bucket_name = 'somewhere'), finding: { path: 's3_bucket_name', found: 'somewhere' } },
    ],
  },
  ProviderTakesNoBackupOfCustomerData: {
    compliant: [A, T],
    broken: [
      { name: 'backup plan', mutate: (f) => (f.tf.resource.aws_backup_plan = { Daily: {} }), finding: { resource: 'aws_backup_plan.Daily' } },
      { name: 'bucket replication', mutate: (f) => (f.tf.resource.aws_s3_bucket_replication_configuration = { Copy: {} }), finding: { resource: 'aws_s3_bucket_replication_configuration.Copy' } },
    ],
  },
  LogStreamsExpireAfter90Days: {
    compliant: [A, T],
    broken: [
      { name: 'VPN log kept 60 days', mutate: (f) => (lifecycle(f)[0].expiration[0].days = 60), finding: { path: 'rule[0].expiration.days (vpn-connection-retention, prefix logs/vpn-connection/)', found: '60' } },
      { name: 'access control log not expired', mutate: (f) => lifecycle(f).splice(1, 1), finding: { resource: 'aws_s3_bucket_lifecycle_configuration', found: '(absent)' } },
      { name: 'rule disabled', mutate: (f) => (lifecycle(f)[2].status = 'Disabled'), finding: { required: 'an enabled rule expiring Device authentication log (logs/device-authentication/) after 90 days' } },
      {
        name: 'broader rule removes logs sooner',
        mutate: (f) => lifecycle(f).push({ id: 'all-logs-30d', status: 'Enabled', filter: [{ prefix: 'logs/' }], expiration: [{ days: 30 }] }),
        finding: { path: 'rule[6].expiration.days (all-logs-30d, prefix "logs/")', found: '30' },
      },
    ],
  },
  CombinedDownloadExpiresAfter30Days: {
    compliant: [A, T],
    broken: [
      { name: 'kept 31 days', mutate: (f) => (lifecycle(f)[3].expiration[0].days = 31), finding: { found: '31' } },
      { name: 'never expires', mutate: (f) => lifecycle(f).splice(3, 1), finding: { found: '(absent)' } },
    ],
  },
  GatewayWritesEveryLogStream: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      {
        name: 'device authentication log not writable',
        mutate: (f) => {
          const p = policyOf(f);
          p.Statement[0].Resource.splice(2, 1);
          setPolicy(f, p);
        },
        finding: { required: "s3:PutObject on the archive's logs/device-authentication/*" },
      },
    ],
  },
  GatewayClockFollowsJst: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'UTC clock', mutate: (f) => (f.vars!.time_timezone = 'UTC'), finding: { resource: HV, path: 'time_timezone', found: 'UTC' } },
      { name: 'no NTP servers', mutate: (f) => (f.vars!.time_ntp_servers = []), finding: { path: 'time_ntp_servers', found: '[]' } },
      { name: 'NTP blocked', mutate: (f) => delete res(f, 'aws_vpc_security_group_egress_rule', 'Ntp').cidr_ipv4 && delete f.tf.resource.aws_vpc_security_group_egress_rule.Ntp, finding: { found: 'no NTP egress' } },
      { name: 'gateway variables missing', mutate: (f) => (f.vars = undefined), finding: notRendered },
    ],
  },
  GatewayTrustsOwnDeviceCaAndCutsRevoked: {
    compliant: [D],
    notApplicable: [A, T],
    broken: [
      { name: "another tenant's device CA", base: D, mutate: (f) => (dpki(f).tenant_ca = pki.otherTenantCa), finding: { resource: HV, path: `${DPKI}.tenant_ca`, found: expect.stringContaining('OU=other') } },
      { name: 'CA not issued by the rendered root', base: D, mutate: (f) => (dpki(f).root_ca = pki.strangerRoot), finding: { path: `${DPKI}.tenant_ca`, found: expect.stringMatching(/^issued by /) } },
      { name: 'not a certificate', base: D, mutate: (f) => (dpki(f).tenant_ca = 'x'), finding: { path: `${DPKI}.tenant_ca`, found: '(not a certificate)' } },
      { name: 'no CRL', base: D, mutate: (f) => delete dpki(f).crl, finding: { path: `${DPKI}.crl`, found: '(absent)' } },
      { name: 'CRL without number', base: D, mutate: (f) => (dpki(f).crl_number = 0), finding: { path: `${DPKI}.crl_number`, found: '0' } },
      { name: 'stale CRL', base: D, mutate: (f) => (dpki(f).crl_next_update = '2020-01-01T00:00:00.000Z'), finding: { path: `${DPKI}.crl_next_update`, found: '2020-01-01T00:00:00.000Z' } },
      { name: 'revoked sessions not ended', base: D, mutate: (f) => (dpki(f).terminate_blocked_sessions = false), finding: { path: `${DPKI}.terminate_blocked_sessions`, found: 'false' } },
      { name: 'no re-authentication bound', base: D, mutate: (f) => (dpki(f).reauth_time = '2d'), finding: { path: `${DPKI}.reauth_time`, found: '2d' } },
      { name: 'no counts', base: D, mutate: (f) => delete dpki(f).devices, finding: { path: `${DPKI}.devices`, found: '(absent)' } },
      { name: 'gateway variables missing', base: D, mutate: (f) => (f.vars = undefined), finding: notRendered },
    ],
  },
  GatewayImageIsPinned: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'image looked up', mutate: (f) => (res(f, 'aws_instance', 'Gateway').ami = '${data.aws_ami.latest.id}'), finding: { resource: 'aws_instance.Gateway', path: 'ami' } },
      { name: 'image lookup declared', mutate: (f) => (f.tf.data = { aws_ami: { latest: { most_recent: true } } }), finding: { resource: 'data.aws_ami.latest' } },
    ],
  },
  GatewayCanFetchSecurityUpdates: {
    compliant: [A],
    notApplicable: [T],
    broken: [{ name: 'no HTTPS out', mutate: (f) => delete f.tf.resource.aws_vpc_security_group_egress_rule.Https, finding: { found: 'no HTTPS egress' } }],
  },
  GatewayAlarmsNotifyOperations: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'CPU alarm missing', mutate: (f) => delete f.tf.resource.aws_cloudwatch_metric_alarm.Cpu, finding: { resource: 'aws_instance.Gateway', found: 'no CPUUtilization alarm' } },
      { name: 'alarm notifies nobody', mutate: (f) => (res(f, 'aws_cloudwatch_metric_alarm', 'Status').alarm_actions = []), finding: { resource: 'aws_cloudwatch_metric_alarm.Status', path: 'alarm_actions' } },
      { name: 'actions disabled', mutate: (f) => (res(f, 'aws_cloudwatch_metric_alarm', 'In').actions_enabled = false), finding: { resource: 'aws_cloudwatch_metric_alarm.In', path: 'actions_enabled' } },
      { name: 'alarm watches another instance', mutate: (f) => (res(f, 'aws_cloudwatch_metric_alarm', 'Out').dimensions.InstanceId = 'i-0123'), finding: { found: 'no NetworkOut alarm' } },
    ],
  },
  VpcTrafficIsFlowLogged: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'flow log removed', mutate: (f) => delete f.tf.resource.aws_flow_log, finding: { resource: 'aws_vpc.Vpc', path: 'flow log' } },
      { name: 'only rejected traffic', mutate: (f) => (res(f, 'aws_flow_log', 'FlowLog').traffic_type = 'REJECT'), finding: { resource: 'aws_flow_log.FlowLog', found: 'REJECT' } },
    ],
  },
  TransitAttachmentUsesOwnRouteTable: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      {
        name: 'associates with the default table',
        mutate: (f) => (res(f, 'aws_ec2_transit_gateway_vpc_attachment', 'Attachment').transit_gateway_default_route_table_association = true),
        finding: { resource: 'aws_ec2_transit_gateway_vpc_attachment.Attachment', path: 'transit_gateway_default_route_table_association', found: 'true' },
      },
      {
        name: 'propagation left at the default',
        mutate: (f) => delete res(f, 'aws_ec2_transit_gateway_vpc_attachment', 'Attachment').transit_gateway_default_route_table_propagation,
        finding: { path: 'transit_gateway_default_route_table_propagation', found: '(absent)' },
      },
      {
        name: 'associated with a shared table',
        mutate: (f) => (res(f, 'aws_ec2_transit_gateway_route_table_association', 'Association').transit_gateway_route_table_id = 'tgw-rtb-0shared'),
        finding: { resource: 'aws_ec2_transit_gateway_route_table_association.Association', found: 'tgw-rtb-0shared' },
      },
    ],
  },
  CarrierPathClosedToInternet: {
    compliant: [M],
    notApplicable: [A, T],
    broken: [
      {
        name: 'a default route to the internet gateway on the carrier table',
        base: M,
        mutate: (f) => (f.tf.resource.aws_route.CarrierOut = { route_table_id: '${aws_route_table.Carrier.id}', destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.Igw.id}' }),
        finding: { resource: 'aws_route.CarrierOut', path: 'gateway_id', found: '${aws_internet_gateway.Igw.id}' },
      },
      {
        name: 'a NAT gateway route inline in the carrier table',
        base: M,
        mutate: (f) => (res(f, 'aws_route_table', 'Carrier').route = [{ destination_cidr_block: '0.0.0.0/0', nat_gateway_id: 'nat-0123456789abcdef0' }]),
        finding: { resource: 'aws_route_table.Carrier', path: 'nat_gateway_id', found: 'nat-0123456789abcdef0' },
      },
      {
        name: 'the whole internet routed to the transit gateway as a "carrier range"',
        base: M,
        mutate: (f) => (res(f, 'aws_route', 'CarrierRange').destination_cidr_block = '0.0.0.0/0'),
        finding: { resource: 'aws_route.CarrierRange', path: 'destination_cidr_block', found: '0.0.0.0/0' },
      },
      {
        name: 'an Elastic IP on the carrier interface',
        base: M,
        mutate: (f) => (f.tf.resource.aws_eip = { ...f.tf.resource.aws_eip, CarrierIp: { domain: 'vpc', network_interface: '${aws_network_interface.Carrier.id}' } }),
        finding: { resource: 'aws_eip.CarrierIp', path: 'network_interface' },
      },
      {
        name: 'IKE admitted from the internet on the carrier security group',
        base: M,
        mutate: (f) => (res(f, 'aws_vpc_security_group_ingress_rule', 'CarrierIke').cidr_ipv4 = '0.0.0.0/0'),
        finding: { resource: 'aws_vpc_security_group_ingress_rule.CarrierIke', path: 'cidr_ipv4', found: '0.0.0.0/0' },
      },
      {
        name: 'the carrier subnet left to the main route table',
        base: M,
        mutate: (f) => delete f.tf.resource.aws_route_table_association,
        finding: { resource: 'aws_network_interface.Carrier', path: 'subnet_id' },
      },
      {
        name: 'public addresses mapped at launch in the carrier subnet',
        base: M,
        mutate: (f) => (res(f, 'aws_subnet', 'Carrier').map_public_ip_on_launch = true),
        finding: { resource: 'aws_subnet.Carrier', path: 'map_public_ip_on_launch', found: 'true' },
      },
    ],
  },
  NoRouteToAnotherTenant: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      {
        name: "route into another tenant's VPC",
        others: other(),
        mutate: (f) => (res(f, 'aws_route', 'Customer').destination_cidr_block = '10.64.1.0/25'),
        finding: { resource: 'aws_route.Customer', found: '10.64.1.0/25', required: 'no route into tenant other (aws_vpc.Vpc 10.64.1.0/24)' },
      },
      {
        name: "transit route to another tenant's client pool",
        others: other(),
        mutate: (f) => (res(f, 'aws_ec2_transit_gateway_route', 'Customer').destination_cidr_block = '10.128.4.0/24'),
        finding: { resource: 'aws_ec2_transit_gateway_route.Customer', required: 'no route into tenant other (aws_route.ClientPool 10.128.4.0/24)' },
      },
      { name: 'peering', mutate: (f) => (f.tf.resource.aws_vpc_peering_connection = { Peer: {} }), finding: { resource: 'aws_vpc_peering_connection.Peer' } },
      { name: 'destination unresolvable', mutate: (f) => (res(f, 'aws_route', 'Customer').destination_cidr_block = '${var.x}'), finding: { resource: 'aws_route.Customer', found: '${var.x}' } },
    ],
  },
  VpcCidrUniqueAcrossFleet: {
    compliant: [A],
    notApplicable: [T],
    broken: [{ name: 'overlapping VPC', others: other('102', '10.64.0.128/25'), mutate: () => undefined, finding: { resource: 'aws_vpc.Vpc', found: '10.64.0.0/24', required: 'no overlap with tenant other (aws_vpc.Vpc 10.64.0.128/25)' } }],
  },
  VlanUniqueAcrossFleet: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'shared VLAN', others: other('101'), mutate: () => undefined, finding: { resource: 'aws_ec2_transit_gateway_vpc_attachment.Attachment', found: '101' } },
      { name: 'VLAN not tagged', mutate: (f) => [res(f, 'aws_ec2_transit_gateway_vpc_attachment', 'Attachment'), res(f, 'aws_ec2_transit_gateway_route_table', 'RouteTable')].forEach((r) => delete r.tags['ras:vlan-id']), finding: { path: 'tags["ras:vlan-id"]', found: '(absent)' } },
    ],
  },
  VlanTaggedConsistently: {
    compliant: [A],
    notApplicable: [T],
    broken: [
      { name: 'attachment and table disagree', mutate: (f) => (res(f, 'aws_ec2_transit_gateway_route_table', 'RouteTable').tags['ras:vlan-id'] = '109'), finding: { found: '101 ≠ 109' } },
      { name: 'route table untagged', mutate: (f) => delete res(f, 'aws_ec2_transit_gateway_route_table', 'RouteTable').tags['ras:vlan-id'], finding: { resource: 'aws_ec2_transit_gateway_route_table.RouteTable' } },
      { name: 'not a number', mutate: (f) => (res(f, 'aws_ec2_transit_gateway_vpc_attachment', 'Attachment').tags['ras:vlan-id'] = '${var.vlan}'), finding: { resource: 'aws_ec2_transit_gateway_vpc_attachment.Attachment' } },
    ],
  },
  LogArchiveBlocksPublicAccess: {
    compliant: [A, T],
    broken: [
      { name: 'public buckets not restricted', mutate: (f) => (res(f, 'aws_s3_bucket_public_access_block', 'Pab').restrict_public_buckets = false), finding: { resource: 'aws_s3_bucket_public_access_block.Pab', path: 'restrict_public_buckets' } },
      { name: 'no public access block', mutate: (f) => delete f.tf.resource.aws_s3_bucket_public_access_block, finding: { resource: 'aws_s3_bucket.Bucket', path: 'public access block' } },
      { name: 'ACLs enabled', mutate: (f) => (res(f, 'aws_s3_bucket_ownership_controls', 'Own').rule.object_ownership = 'ObjectWriter'), finding: { resource: 'aws_s3_bucket_ownership_controls.Own', found: 'ObjectWriter' } },
    ],
  },
};

function ruleOf(id: string) {
  const entry = ISO27017_PACK.find((e) => e.id === id);
  if (entry === undefined) throw new Error(`no rule ${id} in the pack`);
  return entry.rule;
}

function findingsOf(r: RuleResult): readonly Finding[] {
  return r.status === 'non_compliant' ? r.findings : [];
}

test('every rule file is covered here', () => {
  const files = readdirSync(join(__dirname, '..', '..', 'policies', 'rules')).map((f) => f.replace(/\.ts$/, ''));
  expect(Object.keys(CASES).sort()).toEqual(files.sort());
});

describe.each(Object.entries(CASES))('%s', (id, cases) => {
  test.each(cases.compliant.map((make, i) => [i, make] as const))('compliant case %i', (_i, make) => {
    const result = ruleOf(id)(input(make()));
    expect(findingsOf(result)).toEqual([]);
    expect(result.status).toBe('compliant');
    if (result.status === 'compliant') expect(result.evidence.length).toBeGreaterThan(0);
  });

  if (cases.notApplicable !== undefined) {
    test.each(cases.notApplicable.map((make, i) => [i, make] as const))('not applicable case %i', (_i, make) => {
      expect(ruleOf(id)(input(make())).status).toBe('not_applicable');
    });
  }

  test.each(cases.broken.map((b) => [b.name, b] as const))('non-compliant: %s', (_name, b) => {
    const f = (b.base ?? A)();
    b.mutate(f);
    const result = ruleOf(id)(input(f, b.others?.() ?? []));
    expect(result.status).toBe('non_compliant');
    expect(findingsOf(result)).toContainEqual(expect.objectContaining(b.finding));
  });
});

test('a legacy opt-in is compliant by its recorded exception: who approved it, when and why', () => {
  const f = activeTenant();
  Object.assign(f.vars!, { strongswan_crypto_profile: 'legacy', strongswan_legacy_opt_in: true, ras_tenant: { legacy_crypto_opt_in: OPT_IN } });
  const r = ruleOf('GatewayCryptoWithinProfile')(input(f));
  expect(r.status === 'compliant' && r.exception).toEqual({ covers: 'legacy profile', approvedBy: 'CIO', approvedOn: '2019-02-14', reason: 'Old handhelds only speak 3DES.', source: HV });
});

test('a legacy opt-in flag without its record (approver, reason) is a finding', () => {
  const f = activeTenant();
  Object.assign(f.vars!, { strongswan_crypto_profile: 'legacy', strongswan_legacy_opt_in: true });
  const r = ruleOf('GatewayCryptoWithinProfile')(input(f));
  expect(findingsOf(r)).toEqual([expect.objectContaining({ resource: HV, path: 'ras_tenant.legacy_crypto_opt_in', found: '(absent)' })]);
});

test('absence evidence names what was searched, never a placeholder', () => {
  const r = ruleOf('NoManagementPortOpenToInternet')(input(A()));
  const bypass = ruleOf('GatewayOffersNoBypassUtility')(input(A()));
  for (const result of [r, bypass]) {
    expect(result.status).toBe('compliant');
    if (result.status === 'compliant') for (const e of result.evidence) expect(e.resource).not.toMatch(/^(resource|security group rules)$/);
  }
  expect(bypass.status === 'compliant' && bypass.evidence).toContainEqual({ resource: 'searched: aws_instance.Gateway', path: 'user_data, user_data_base64', value: 'not set, or a #cloud-config that only creates the operations accounts and their sshd settings' });
});

test('a rule that says compliant with no evidence is a finding, not a pass', () => {
  const empty: PackEntry = { id: 'VouchesForNothing', rule: () => ({ status: 'compliant', evidence: [] }), controls: ['CLD9.5.2'], severity: 'high', explanation: { en: 'x', ja: 'x' } };
  const [t] = evaluateFleet([toView(A())], [], [empty]).tenants;
  expect(t.rules[0]).toMatchObject({ status: 'non_compliant', findings: [{ resource: 'VouchesForNothing', found: 'compliant with no evidence' }] });
  expect(t.controls.find((c) => c.control.id === 'CLD9.5.2')?.status).toBe('non_compliant');
});
