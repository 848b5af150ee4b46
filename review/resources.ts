/** The resources of a synthesized stack, by Terraform address, and the references between them. */
import type { StackConfig } from './types';

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
  const out = new Map<string, StackResource>();
  for (const [type, byName] of Object.entries(config?.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      const { '//': _metadata, ...body } = raw;
      out.set(`${type}.${name}`, { address: `${type}.${name}`, type, name, body });
    }
  }
  return out;
}

/** `${aws_vpc.Network_Vpc_1234.id}` → [{ address: 'aws_vpc.Network_Vpc_1234', attribute: 'id' }]. */
const REFERENCE = /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)/g;

export function referencesIn(text: string): { address: string; attribute: string }[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({ address: m[1], attribute: m[2] }));
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

/** The AWS provider's settings of a stack (first `aws` provider block). */
export function awsProvider(config: StackConfig | undefined): Record<string, unknown> {
  return config?.provider?.aws?.[0] ?? {};
}

export function defaultTags(config: StackConfig | undefined): Record<string, string> {
  const blocks = awsProvider(config).default_tags as { tags?: Record<string, string> }[] | undefined;
  return Object.assign({}, ...(blocks ?? []).map((b) => b.tags ?? {}));
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
