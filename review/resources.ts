/**
 * The resources of a synthesized stack, by Terraform address, as plan review compares them. The
 * reading is output/terraform.ts's (the one reader of cdk.tf.json); only the comparison's needs
 * (meta-arguments, renames, taggable types) are defined here.
 */
import { awsProvider, bodyOf, defaultTags, referencesIn, resourcesIn } from '../output/terraform';
import type { StackConfig } from './types';

export { awsProvider, defaultTags, referencesIn };

export interface StackResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The resource's configuration without cdktf's `//` metadata. */
  readonly body: Record<string, unknown>;
}

/** Meta-arguments: they steer Terraform but change nothing in AWS by themselves. */
export const META_ARGUMENTS = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'connection', 'provisioner']);

export function resourcesOf(config: StackConfig | undefined): Map<string, StackResource> {
  return new Map(resourcesIn(config).map((r) => [r.address, { address: r.address, type: r.type, name: r.name, body: bodyOf(r) }]));
}

/** Rewrites references to renamed resources (head name → base name), so a move alone shows no diff. */
export function renameReferences(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (renames.size === 0) return value;
  if (typeof value === 'string') {
    return value.replace(/([a-z0-9_]+\.[A-Za-z0-9_-]+)(?=[.}\]"]|$)/g, (m) => renames.get(m) ?? m);
  }
  if (Array.isArray(value)) return value.map((v) => renameReferences(v, renames));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameReferences(v, renames)]));
  }
  return value;
}

/** The body with every resource reference's name blanked: two resources that differ only in whom they reference by name compare equal. */
export function withoutReferenceNames(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([a-z0-9_]+)\.[A-Za-z0-9_-]+\./g, '${$1.*.');
  if (Array.isArray(value)) return value.map(withoutReferenceNames);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutReferenceNames(v)]));
  }
  return value;
}

/**
 * Types whose provider-computed `tags_all` carries the provider's default tags (read from a real
 * plan of the tenant stack: every type with `tags_all` in its planned values). A default-tag change
 * updates exactly these.
 */
export const TAGGABLE = new Set([
  'aws_cloudwatch_metric_alarm',
  'aws_default_route_table',
  'aws_default_security_group',
  'aws_ec2_transit_gateway_route_table',
  'aws_ec2_transit_gateway_vpc_attachment',
  'aws_eip',
  'aws_flow_log',
  'aws_iam_instance_profile',
  'aws_iam_role',
  'aws_instance',
  'aws_internet_gateway',
  'aws_kms_key',
  'aws_route_table',
  'aws_s3_bucket',
  'aws_security_group',
  'aws_subnet',
  'aws_vpc',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_security_group_ingress_rule',
]);
