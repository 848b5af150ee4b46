/**
 * Typed access to one tenant's synthesized Terraform JSON. Helpers here never guess: a value
 * that is a Terraform reference (`${...}`) where a literal is required is reported as such, so
 * rules fail closed instead of passing on something they cannot see.
 */
import type { Finding, TenantView, TfJson, TfResource } from './types';
import { finding } from './results';

/** Where the provider's default tags live in cdk.tf.json. */
export const DEFAULT_TAGS_ADDRESS = 'provider.aws[0]';
export const DEFAULT_TAGS_PATH = 'default_tags[0].tags';

export function resourcesIn(tf: TfJson): TfResource[] {
  const list: TfResource[] = [];
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) list.push({ type, name, address: `${type}.${name}`, config });
  }
  return list;
}

export function defaultTags(tf: TfJson): Record<string, string> {
  const provider = tf.provider?.aws?.[0] as { default_tags?: { tags?: Record<string, unknown> }[] } | undefined;
  const tags = provider?.default_tags?.[0]?.tags ?? {};
  return Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function ofType(tenant: TenantView, type: string): TfResource[] {
  return tenant.resources.filter((r) => r.type === type);
}

/** True for a value Terraform resolves only at plan/apply time. */
export function isReference(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The value at a dotted path (`root_block_device.kms_key_id`, `rule.0.filter`), single-element lists unwrapped where Terraform allows either. */
export function valueAt(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current) && !/^\d+$/.test(key)) current = current.length === 1 ? current[0] : undefined;
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A block Terraform accepts as an object or a one-element list, as an object (undefined when absent or ambiguous). */
export function block(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A list-of-blocks attribute as a list (a single object counts as one). */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
}

/** The tenant's status from its tags, or a finding when it is missing or unknown (fail closed). */
export function tenantStatus(tenant: TenantView): { status: 'active' | 'terminated' } | { finding: Finding } {
  const status = tenant.tags['ras:status'];
  if (status === 'active' || status === 'terminated') return { status };
  return { finding: finding(DEFAULT_TAGS_ADDRESS, `${DEFAULT_TAGS_PATH}["ras:status"]`, status, 'active or terminated') };
}

/** Resource named by a `${type.name.attr}` reference, if the reference points into this stack. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}/.exec(value);
  return m?.[1];
}

/** Parses an IAM/bucket policy document held as a JSON string. */
export function policyStatements(policy: unknown): Record<string, unknown>[] | undefined {
  if (typeof policy !== 'string') return undefined;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    return blocks(doc.Statement);
  } catch {
    return undefined;
  }
}

export function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
