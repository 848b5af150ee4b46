/**
 * Tenants whose changes are the same once the tenant's own id is blanked: a construct change
 * touching 1,000 tenants becomes one row, not 1,000.
 */
import type { Review, Risk, TenantReview } from './types';

export interface TenantGroup {
  readonly tenants: readonly string[];
  /** The first tenant's review stands for the group (ids shown as `<tenant>` when the group has several). */
  readonly sample: TenantReview;
}

/**
 * The text with the tenant's own id, and content hashes (the gateway configuration's
 * replace trigger), blanked: what two tenants changed alike have in common.
 */
export function blankTenant(text: string, tenant: string): string {
  return text.split(tenant).join('<tenant>').replace(/\b[0-9a-f]{64}\b/g, '<sha256>');
}

function signature(r: TenantReview): string {
  const { tenant: _t, recipients: _r, services: _s, ...rest } = r;
  return blankTenant(JSON.stringify(rest), r.tenant);
}

export function groupTenants(review: Review): TenantGroup[] {
  const groups = new Map<string, { tenants: string[]; sample: TenantReview }>();
  for (const r of review.tenants) {
    const key = signature(r);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { tenants: [r.tenant], sample: r });
    else g.tenants.push(r.tenant);
  }
  return [...groups.values()];
}

export interface RiskLine {
  readonly tenants: readonly string[];
  readonly risk: Risk;
}

/** Identical risks (tenant blanked) on one line with the tenants they concern. */
export function groupRisks(review: Review): RiskLine[] {
  const lines = new Map<string, { tenants: string[]; risk: Risk }>();
  for (const r of review.tenants) {
    for (const risk of r.risks) {
      const { tenant: _t, ...rest } = risk;
      const key = blankTenant(JSON.stringify(rest), r.tenant);
      const line = lines.get(key);
      if (line === undefined) lines.set(key, { tenants: [r.tenant], risk });
      else line.tenants.push(r.tenant);
    }
  }
  return [...lines.values()];
}
