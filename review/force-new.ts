/**
 * Attributes whose change makes the AWS provider destroy and re-create the resource ("forces
 * replacement"), for the resource types the tenant stacks use. Taken from the provider's schemas
 * (ForceNew) as of hashicorp/aws 5.100 / 6.x; test/review/real-plan.test.ts checks this table
 * against real `terraform plan` documents for the changes it makes. A type missing here is
 * treated as if every attribute updated in place, and says so in the review (`unknownTypes`).
 *
 * Paths use dots and no list indices: `root_block_device.encrypted`.
 */
const S3_SUB = ['bucket', 'expected_bucket_owner'];

export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  aws_cloudwatch_metric_alarm: ['alarm_name'],
  aws_default_route_table: ['default_route_table_id'],
  aws_default_security_group: ['vpc_id'],
  aws_ec2_transit_gateway_route: ['destination_cidr_block', 'transit_gateway_route_table_id', 'transit_gateway_attachment_id', 'blackhole'],
  aws_ec2_transit_gateway_route_table: ['transit_gateway_id'],
  // The attachment of an association is updated in place (a real plan showed it), unlike a propagation's.
  aws_ec2_transit_gateway_route_table_association: ['transit_gateway_route_table_id'],
  aws_ec2_transit_gateway_route_table_propagation: ['transit_gateway_attachment_id', 'transit_gateway_route_table_id'],
  aws_ec2_transit_gateway_vpc_attachment: ['transit_gateway_id', 'vpc_id'],
  aws_eip: ['domain', 'vpc', 'address', 'public_ipv4_pool', 'network_border_group', 'customer_owned_ipv4_pool'],
  aws_flow_log: [
    'vpc_id',
    'subnet_id',
    'eni_id',
    'transit_gateway_id',
    'log_destination',
    'log_destination_type',
    'traffic_type',
    'log_format',
    'max_aggregation_interval',
    'destination_options',
    'iam_role_arn',
    'deliver_cross_account_role',
  ],
  aws_iam_instance_profile: ['name', 'name_prefix', 'path'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['name', 'name_prefix', 'role'],
  aws_instance: [
    'ami',
    'availability_zone',
    'subnet_id',
    'placement_group',
    'tenancy',
    'host_id',
    'key_name',
    'private_ip',
    'associate_public_ip_address',
    'security_groups',
    'ipv6_addresses',
    'ebs_block_device',
    'ephemeral_block_device',
    'network_interface',
    'cpu_options',
    'hibernation',
    'root_block_device.encrypted',
    'root_block_device.kms_key_id',
  ],
  aws_internet_gateway: [],
  aws_kms_alias: ['name', 'name_prefix'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  // The attachment block (instance, device index) is updated in place: detached and attached again.
  aws_network_interface: ['subnet_id', 'interface_type'],
  aws_route: ['route_table_id', 'destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id'],
  aws_route_table: ['vpc_id'],
  aws_route_table_association: ['subnet_id', 'gateway_id'],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_s3_bucket_lifecycle_configuration: S3_SUB,
  aws_s3_bucket_ownership_controls: ['bucket'],
  aws_s3_bucket_policy: ['bucket'],
  aws_s3_bucket_public_access_block: ['bucket'],
  aws_s3_bucket_server_side_encryption_configuration: S3_SUB,
  aws_s3_bucket_versioning: S3_SUB,
  aws_security_group: ['name', 'name_prefix', 'description', 'vpc_id'],
  aws_subnet: ['vpc_id', 'cidr_block', 'availability_zone', 'availability_zone_id', 'outpost_arn'],
  aws_vpc: ['cidr_block', 'ipv4_ipam_pool_id', 'ipv4_netmask_length'],
  aws_vpc_security_group_egress_rule: ['security_group_id'],
  aws_vpc_security_group_ingress_rule: ['security_group_id'],
  // terraform_data (cdktf DataResource): a new `input` or `triggers_replace` value re-creates it.
  terraform_data: ['triggers_replace'],
};

/** Does changing `path` (with list indices) of a `type` resource force its replacement? */
export function forcesReplacement(type: string, path: string): boolean {
  const attrs = FORCE_NEW[type];
  if (attrs === undefined) return false;
  const plain = path.replace(/\[\d+\]/g, '');
  return attrs.some((a) => plain === a || plain.startsWith(`${a}.`));
}

export function knownType(type: string): boolean {
  return type in FORCE_NEW;
}
