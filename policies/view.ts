/**
 * What the rules use of one tenant's synthesized Terraform JSON. The reading itself is
 * output/terraform.ts's (the one reader of synthesized output); only what needs a rule's view
 * (resources of a type, the tenant's status as a finding) is defined here.
 */
import { DEFAULT_TAGS_ADDRESS, DEFAULT_TAGS_PATH } from '../output/terraform';
import { finding } from './results';
import type { Finding, TenantView, TfResource } from './types';

export {
  asList,
  block,
  blocks,
  DEFAULT_TAGS_ADDRESS,
  DEFAULT_TAGS_PATH,
  defaultTags,
  deniesWithoutTls,
  instanceDisks,
  isReference,
  policyStatements,
  referencedAddress,
  resourcesIn,
  sseDefault,
  valueAt,
} from '../output/terraform';

export function ofType(tenant: TenantView, type: string): TfResource[] {
  return tenant.resources.filter((r) => r.type === type);
}

/** The tenant's status from its tags, or a finding when it is missing or unknown (fail closed). */
export function tenantStatus(tenant: TenantView): { status: 'active' | 'terminated' } | { finding: Finding } {
  const status = tenant.tags['ras:status'];
  if (status === 'active' || status === 'terminated') return { status };
  return { finding: finding(DEFAULT_TAGS_ADDRESS, `${DEFAULT_TAGS_PATH}["ras:status"]`, status, 'active or terminated') };
}
