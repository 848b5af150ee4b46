/**
 * Minimal synthesized output built in code, shaped as cdktf writes it: a compliant active
 * tenant and a compliant terminated one. Tests copy a fixture, break one thing, and run a rule.
 */
import { gatewayVariables, type VariableLayer } from '../../output/gateway-variables';
import { portalInput } from '../../output/portal';
import { tenantView } from '../../policies/inputs/read';
import type { RuleInput, TenantView } from '../../policies/types';
import { claimsOf, fleetIndex } from '../../policies/address-space';
import { resourcesIn } from '../../output/terraform';

export type Json = Record<string, any>;

export interface Fixture {
  id: string;
  tf: Json;
  portal: Json | undefined;
  vars: Json | undefined;
  /** The fleet stack that makes the state bucket (and records each Terraform run); absent: none in the output. */
  fleet?: Json;
}

const ref = (address: string, attr: string): string => `\${${address}.${attr}}`;
const HOST_VARS = 'ansible/host_vars/t-gateway.yml';

export function tags(id: string, status: 'active' | 'terminated', extra: Record<string, string> = {}): Record<string, string> {
  return {
    'ras:tenant': id,
    'ras:service-code:management': 'RAM-0000001',
    'ras:service-code:gateway': 'RAG-0000001',
    'ras:service-code:network': 'RAN-0000001',
    'ras:label:RAG-0000001': 'Tokyo gateway',
    'ras:status': status,
    'ras:iso27017-scope': 'in-scope',
    'ras:gateway-type': 'A',
    'ras:linked-service': 'private-backbone',
    'ras:declared-terminals': '200',
    'ras:declared-rps': '150',
    ...extra,
  };
}

function archive(id: string, lifecycle: Json[]): Json {
  const bucket = 'aws_s3_bucket.Bucket';
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [ref(bucket, 'arn'), `${ref(bucket, 'arn')}/*`], Condition: { Bool: { 'aws:SecureTransport': false } } },
    ],
  };
  return {
    aws_kms_key: { Key: { enable_key_rotation: true } },
    aws_s3_bucket: { Bucket: { bucket: `ras-${id}-logs` } },
    aws_s3_bucket_public_access_block: {
      Pab: { bucket: ref(bucket, 'id'), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    },
    aws_s3_bucket_ownership_controls: { Own: { bucket: ref(bucket, 'id'), rule: { object_ownership: 'BucketOwnerEnforced' } } },
    aws_s3_bucket_server_side_encryption_configuration: {
      Sse: { bucket: ref(bucket, 'id'), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key.Key', 'arn') } }] },
    },
    aws_s3_bucket_policy: { Policy: { bucket: ref(bucket, 'id'), policy: JSON.stringify(policy) } },
    aws_s3_bucket_lifecycle_configuration: { Lifecycle: { bucket: ref(bucket, 'id'), rule: lifecycle } },
  };
}

export function retentionRules(): Json[] {
  const rule = (id: string, prefix: string, days: number): Json => ({ id, status: 'Enabled', filter: [{ prefix }], expiration: [{ days }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] });
  return [
    rule('vpn-connection-retention', 'logs/vpn-connection/', 90),
    rule('access-control-retention', 'logs/access-control/', 90),
    rule('device-authentication-retention', 'logs/device-authentication/', 90),
    rule('combined-download-retention', 'download/combined/', 30),
    rule('flow-logs-retention', 'provider/flow-logs/', 90),
    rule('operator-work-retention', 'provider/operator-work/', 400),
  ];
}

function terraform(id: string): Json {
  return {
    backend: { s3: { bucket: 'state', key: `tenants/${id}/terraform.tfstate`, region: 'ap-northeast-1', encrypt: true, use_lockfile: true } },
    required_providers: { aws: { source: 'aws', version: '6.25.0' } },
  };
}

/** The fleet stack making the state bucket `bucket`, with the trail of every Terraform run and its records kept 400 days. */
export function fleetStack(bucket = 'state'): Json {
  const records = 'aws_s3_bucket.Records';
  return {
    resource: {
      aws_s3_bucket: { State: { bucket }, Records: { bucket: `${bucket}-records` } },
      aws_cloudtrail: {
        Runs: {
          name: 'runs',
          s3_bucket_name: ref(records, 'id'),
          s3_key_prefix: 'provider/terraform-runs',
          enable_log_file_validation: true,
          enable_logging: true,
          event_selector: [{ read_write_type: 'All', include_management_events: true, data_resource: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${bucket}/`] }] }],
        },
      },
      aws_s3_bucket_lifecycle_configuration: {
        RecordsLifecycle: {
          bucket: ref(records, 'id'),
          rule: [{ id: 'terraform-run-records-retention', status: 'Enabled', filter: [{ prefix: 'provider/terraform-runs/' }], expiration: [{ days: 400 }] }],
        },
      },
    },
  };
}

/** A compliant active tenant: network, attachment, gateway, archive. */
export function activeTenant(id = 't', vlan = '101', vpcCidr = '10.64.0.0/24', pool = '10.128.0.0/24'): Fixture {
  const vpc = 'aws_vpc.Vpc';
  const sg = ref('aws_security_group.Sg', 'id');
  const instance = 'aws_instance.Gateway';
  const ingress = (name: string, cidr: string, protocol: string, port?: number): Json => [
    name,
    { security_group_id: sg, cidr_ipv4: cidr, ip_protocol: protocol, ...(port === undefined ? {} : { from_port: port, to_port: port }) },
  ];
  const alarm = (metric: string): Json => ({
    metric_name: metric,
    namespace: 'AWS/EC2',
    dimensions: { InstanceId: ref(instance, 'id') },
    alarm_actions: ['arn:aws:sns:ap-northeast-1:111122223333:ras-operations'],
  });
  const writePolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteOwnLogPrefixes',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: ['logs/vpn-connection/', 'logs/access-control/', 'logs/device-authentication/', 'download/combined/', 'provider/operator-work/'].map((p) => `${ref('aws_s3_bucket.Bucket', 'arn')}/${p}*`),
      },
      { Sid: 'EncryptWithTenantKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: ref('aws_kms_key.Key', 'arn') },
    ],
  };
  const tf = {
    terraform: terraform(id),
    provider: { aws: [{ region: 'ap-northeast-1', default_tags: [{ tags: tags(id, 'active') }] }] },
    resource: {
      ...archive(id, retentionRules()),
      aws_vpc: { Vpc: { cidr_block: vpcCidr, tags: { Name: id } } },
      aws_subnet: { Public: { vpc_id: ref(vpc, 'id'), cidr_block: vpcCidr.replace(/\/24$/, '/26'), availability_zone: 'ap-northeast-1a' } },
      aws_default_security_group: { Default: { vpc_id: ref(vpc, 'id'), ingress: [], egress: [] } },
      aws_internet_gateway: { Igw: { vpc_id: ref(vpc, 'id') } },
      aws_route_table: { Public: { vpc_id: ref(vpc, 'id') }, Backbone: { vpc_id: ref(vpc, 'id') } },
      aws_route: {
        Default: { route_table_id: ref('aws_route_table.Public', 'id'), destination_cidr_block: '0.0.0.0/0', gateway_id: ref('aws_internet_gateway.Igw', 'id') },
        Customer: { route_table_id: ref('aws_route_table.Public', 'id'), destination_cidr_block: '172.16.10.0/24', transit_gateway_id: 'tgw-0a1b2c3d4e5f60718' },
        ClientPool: { route_table_id: ref('aws_route_table.Backbone', 'id'), destination_cidr_block: pool, network_interface_id: ref(instance, 'primary_network_interface_id') },
      },
      aws_flow_log: { FlowLog: { vpc_id: ref(vpc, 'id'), traffic_type: 'ALL', log_destination_type: 's3', log_destination: `${ref('aws_s3_bucket.Bucket', 'arn')}/provider/flow-logs/` } },
      aws_ec2_transit_gateway_vpc_attachment: {
        Attachment: {
          vpc_id: ref(vpc, 'id'),
          transit_gateway_id: 'tgw-0a1b2c3d4e5f60718',
          transit_gateway_default_route_table_association: false,
          transit_gateway_default_route_table_propagation: false,
          tags: { 'ras:vlan-id': vlan },
        },
      },
      aws_ec2_transit_gateway_route_table: { RouteTable: { transit_gateway_id: 'tgw-0a1b2c3d4e5f60718', tags: { 'ras:vlan-id': vlan } } },
      aws_ec2_transit_gateway_route_table_association: {
        Association: { transit_gateway_attachment_id: ref('aws_ec2_transit_gateway_vpc_attachment.Attachment', 'id'), transit_gateway_route_table_id: ref('aws_ec2_transit_gateway_route_table.RouteTable', 'id') },
      },
      aws_ec2_transit_gateway_route_table_propagation: {
        Propagation: { transit_gateway_attachment_id: ref('aws_ec2_transit_gateway_vpc_attachment.Attachment', 'id'), transit_gateway_route_table_id: ref('aws_ec2_transit_gateway_route_table.RouteTable', 'id') },
      },
      aws_ec2_transit_gateway_route: {
        Customer: { destination_cidr_block: '172.16.10.0/24', transit_gateway_attachment_id: 'tgw-attach-0f1e2d3c4b5a69788', transit_gateway_route_table_id: ref('aws_ec2_transit_gateway_route_table.RouteTable', 'id') },
      },
      aws_security_group: { Sg: { vpc_id: ref(vpc, 'id'), name: `${id}-gateway` } },
      aws_vpc_security_group_ingress_rule: Object.fromEntries([
        ingress('Ike', '0.0.0.0/0', 'udp', 500),
        ingress('NatT', '0.0.0.0/0', 'udp', 4500),
        ingress('Ssh', '10.255.0.0/24', 'tcp', 22),
        ingress('NodeExporter', '10.255.0.0/24', 'tcp', 9100),
      ]),
      aws_vpc_security_group_egress_rule: Object.fromEntries([ingress('Ntp', '0.0.0.0/0', 'udp', 123), ingress('Https', '0.0.0.0/0', 'tcp', 443)]),
      aws_iam_role: { Role: { name: `${id}-gateway`, assume_role_policy: '{}' } },
      aws_iam_role_policy: { Write: { role: ref('aws_iam_role.Role', 'id'), policy: JSON.stringify(writePolicy) } },
      aws_instance: {
        Gateway: {
          ami: 'ami-0c0ffee0123456789',
          instance_type: 'c6i.large',
          metadata_options: { http_endpoint: 'enabled', http_tokens: 'required' },
          root_block_device: { encrypted: true, kms_key_id: ref('aws_kms_key.Key', 'arn') },
        },
      },
      aws_cloudwatch_metric_alarm: { Status: alarm('StatusCheckFailed'), Cpu: alarm('CPUUtilization'), In: alarm('NetworkIn'), Out: alarm('NetworkOut') },
    },
  };
  return { id, tf, portal: portal(), vars: gatewayVars(), fleet: fleetStack() };
}

/** A compliant terminated tenant (terminated 2026-11-15): key and archive with an erase-all rule. */
export function terminatedTenant(id = 'gone'): Fixture {
  const erase = { id: 'erase-after-termination', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ date: '2026-12-25T00:00:00Z' }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] };
  const tf = {
    terraform: terraform(id),
    provider: { aws: [{ region: 'ap-northeast-1', default_tags: [{ tags: tags(id, 'terminated', { 'ras:termination-date': '2026-11-15' }) }] }] },
    resource: archive(id, [...retentionRules(), erase]),
  };
  return { id, tf, portal: portal(), vars: undefined, fleet: fleetStack() };
}

export function portal(): Json {
  return {
    tenant: 't',
    twoFactorRequired: true,
    allowedSourceCidrs: ['203.0.113.0/28'],
    lockoutThreshold: 5,
    operators: [
      { id: 'admin', role: 'administrator', emailRegistered: true },
      { id: 'helpdesk', role: 'operator', emailRegistered: true },
    ],
  };
}

/** Host variables as the gateway configuration renders them (the subset the rules read). */
export function gatewayVars(): Json {
  return {
    strongswan_crypto_profile: 'strong',
    strongswan_legacy_opt_in: false,
    strongswan_ikev2_enabled: true,
    strongswan_l2tp_enabled: true,
    strongswan_pptp_enabled: false,
    time_timezone: 'Asia/Tokyo',
    time_ntp_servers: ['ntp.nict.jp'],
    // Rendered (the stream) and role defaults (folder, sources, packages), as Ansible merges them.
    logs_operator_stream: { id: 'operator-work', prefix: 'provider/operator-work/' },
    logs_operator_dir: '/var/log/ras-provider',
    logs_operator_sources: ['sshd', 'sudo', 'su', 'auditd', 'ras-integrity'],
    hardening_packages: ['openssh-server', 'sudo', 'auditd', 'acct', 'aide'],
  };
}

export function toView(f: Fixture): TenantView {
  const layers: VariableLayer[] = f.vars === undefined ? [] : [{ file: HOST_VARS, vars: f.vars }];
  const view = tenantView(f.id, f.tf, f.portal === undefined ? { missing: 'portal.json not rendered' } : portalInput(f.portal), f.vars === undefined ? undefined : gatewayVariables(layers));
  return f.fleet === undefined ? view : { ...view, stateBackendStack: { id: 'fleet_ap-northeast-1', resources: resourcesIn(f.fleet) } };
}

/** Input for a rule: the fixture as the tenant, alongside `others` as the rest of the fleet. */
export function input(f: Fixture, others: Fixture[] = []): RuleInput {
  const tenant = toView(f);
  return { tenant, fleet: fleetIndex([tenant, ...others.map(toView)].map(claimsOf)) };
}

export { HOST_VARS };
