/**
 * Evidence values often hold Terraform references (`${aws_kms_key.TenantKey_1234.arn}`), which
 * say nothing to an auditor on their own. Each reference into the tenant's stack is resolved to
 * the resource it points to, with that resource's own settings as evidence; a reference that
 * points nowhere in the stack is said to, rather than dropped.
 */
import { referencesIn } from '../output/terraform';
import { show } from './results';
import type { Evidence, TenantView } from './types';

export interface ResolvedReference {
  /** The reference as written, e.g. `aws_kms_key.TenantKey_1234.arn`. */
  readonly reference: string;
  /** The resource it points to, when declared in this stack. */
  readonly resource?: string;
  /** The referenced resource's own top-level settings (scalars and lists of scalars; tags left out). */
  readonly attributes: readonly { readonly path: string; readonly value: string }[];
}

export interface ResolvedEvidence extends Evidence {
  /** The references in `value`, resolved (absent when `value` holds none). */
  readonly resolved?: readonly ResolvedReference[];
}

/** Settings that describe other things (tags, meta-arguments) or repeat the address. */
const NOT_EVIDENCE = new Set(['tags', 'tags_all', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', '//']);

function settings(config: Readonly<Record<string, unknown>>): { path: string; value: string }[] {
  return Object.keys(config)
    .filter((k) => !NOT_EVIDENCE.has(k))
    .filter((k) => {
      const v = config[k];
      return v !== null && (typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')));
    })
    .sort()
    .map((k) => ({ path: k, value: show(config[k]) }));
}

export function resolveEvidence(list: readonly Evidence[], tenant: TenantView): ResolvedEvidence[] {
  const byAddress = new Map(tenant.resources.map((r) => [r.address, r]));
  return list.map((e) => {
    const refs = referencesIn(e.value);
    if (refs.length === 0) return e;
    const seen = new Set<string>();
    const resolved: ResolvedReference[] = [];
    for (const ref of refs) {
      const reference = `${ref.address}.${ref.attribute}`;
      if (seen.has(reference)) continue;
      seen.add(reference);
      const target = byAddress.get(ref.address);
      resolved.push(target === undefined ? { reference, attributes: [] } : { reference, resource: target.address, attributes: settings(target.config) });
    }
    return { ...e, resolved };
  });
}
