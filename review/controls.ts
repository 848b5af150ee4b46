/**
 * Which whitepaper controls (ids from ../shared/docs/service-commitments.md) a resource type, one
 * of its attributes, or a gateway variable serves. A change there "touches" those controls.
 */
import { CONTROLS } from '../policies/catalog';

const BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ['12.4.1', '18.1.3'],
  aws_s3_bucket_lifecycle_configuration: ['12.4.1', 'CLD8.1.5'],
  aws_s3_bucket_versioning: ['12.4.1', '12.3.1'],
  aws_s3_bucket_policy: ['18.1.3', '18.1.5'],
  aws_s3_bucket_public_access_block: ['18.1.3'],
  aws_s3_bucket_ownership_controls: ['18.1.3'],
  aws_s3_bucket_server_side_encryption_configuration: ['10.1.1', '18.1.3'],
  aws_kms_key: ['10.1.1', '8.1.1'],
  aws_kms_alias: ['10.1.1'],
  aws_vpc: ['CLD9.5.1', '13.1.3'],
  aws_subnet: ['CLD9.5.1', '13.1.3'],
  aws_route_table: ['13.1.3', 'CLD13.1.4'],
  aws_route_table_association: ['13.1.3', 'CLD13.1.4'],
  aws_route: ['13.1.3', 'CLD13.1.4'],
  aws_default_route_table: ['13.1.3'],
  aws_internet_gateway: ['13.1.3'],
  aws_default_security_group: ['CLD9.5.2', '13.1.3'],
  aws_security_group: ['CLD9.5.2', '13.1.3'],
  aws_vpc_security_group_ingress_rule: ['CLD9.5.2', '13.1.3'],
  aws_vpc_security_group_egress_rule: ['CLD9.5.2', '13.1.3'],
  aws_ec2_transit_gateway_vpc_attachment: ['13.1.3', 'CLD13.1.4'],
  aws_ec2_transit_gateway_route_table: ['13.1.3', 'CLD13.1.4'],
  aws_ec2_transit_gateway_route_table_association: ['13.1.3', 'CLD13.1.4'],
  aws_ec2_transit_gateway_route_table_propagation: ['13.1.3', 'CLD13.1.4'],
  aws_ec2_transit_gateway_route: ['13.1.3', 'CLD13.1.4'],
  aws_flow_log: ['8.1.1', 'CLD12.4.5'],
  aws_instance: ['CLD9.5.1', 'CLD9.5.2'],
  aws_eip: ['CLD9.5.2'],
  // The gateway's carrier-side interface (closed mobile access): the carrier path's segregation.
  aws_network_interface: ['CLD9.5.1', '13.1.3'],
  aws_iam_role: ['18.1.3'],
  aws_iam_role_policy: ['18.1.3'],
  aws_iam_instance_profile: ['18.1.3'],
  aws_cloudwatch_metric_alarm: ['CLD12.4.5'],
  // The hand-off that runs the gateway playbook (hardening, crypto, access control) on the instance.
  terraform_data: ['CLD9.5.2'],
};

/** Attribute-level additions (path without indices, prefix match). */
const BY_ATTRIBUTE: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  aws_instance: {
    instance_type: ['12.1.3'],
    ami: ['12.6.1'],
    root_block_device: ['10.1.1'],
    metadata_options: ['CLD9.5.2'],
  },
};

/** Stack-wide settings. */
export const REGION_CONTROLS = ['6.1.3', '18.1.1'];
export const TAG_CONTROLS = ['8.2.2'];

/** Gateway variables (rendered for Ansible) by name prefix. */
const BY_GATEWAY_VARIABLE: readonly [string, readonly string[]][] = [
  ['strongswan_crypto', ['10.1.1', '18.1.5']],
  ['strongswan_legacy', ['10.1.1', '18.1.5']],
  ['strongswan_pptp', ['10.1.1', '18.1.5']],
  ['strongswan_auth', ['10.1.1', 'CLD9.5.2']],
  ['strongswan', ['CLD9.5.2']],
  ['access_control', ['CLD9.5.2', '9.4.1']],
  // Type B: who reaches which host:port through the relay, and with which certificate.
  ['relay', ['CLD9.5.2', '9.4.1']],
  ['hardening', ['CLD9.5.2']],
  ['time', ['12.4.4']],
  ['logs', ['12.4.1', '18.1.3']],
  ['monitoring', ['CLD12.4.5']],
  ['ras_tenant', ['8.2.2']],
];

export function controlsFor(type: string, paths: readonly string[] = []): string[] {
  const ids = new Set(BY_TYPE[type] ?? []);
  for (const path of paths) {
    const plain = path.replace(/\[\d+\]/g, '');
    if (plain.startsWith('tags_all') || plain.startsWith('tags.')) TAG_CONTROLS.forEach((c) => ids.add(c));
    for (const [attr, controls] of Object.entries(BY_ATTRIBUTE[type] ?? {})) {
      if (plain === attr || plain.startsWith(`${attr}.`)) controls.forEach((c) => ids.add(c));
    }
  }
  return sortControls(ids);
}

/** Portal settings: sign-in protection (9.2.3), operator accounts and their privileges (9.2.1, 9.2.2). */
export function controlsForPortalSetting(path: string): string[] {
  return path.startsWith('operators') ? ['9.2.1', '9.2.2'] : ['9.2.3'];
}

export function controlsForGatewayVariable(name: string): string[] {
  return [...(BY_GATEWAY_VARIABLE.find(([prefix]) => name.startsWith(prefix))?.[1] ?? ['CLD9.5.2'])];
}

/** The 42 controls in the whitepaper's order: policies/catalog's (controls.json), the one list. */
export const WHITEPAPER_CONTROLS: readonly string[] = CONTROLS.map((c) => c.id);

/** Controls in the whitepaper's order, each once. */
export function sortControls(ids: Iterable<string>): string[] {
  const rank = (id: string) => {
    const i = WHITEPAPER_CONTROLS.indexOf(id);
    return i === -1 ? WHITEPAPER_CONTROLS.length : i;
  };
  return [...new Set(ids)].sort((a, b) => rank(a) - rank(b));
}
