/** ISO/IEC 27017 scope, judged from the synthesized stack's tags (the same rule as the contract's). */
import { ISO_SCOPE } from '../commitments';
import type { TenantView } from './types';

export interface ScopeView {
  readonly inScope: boolean;
  /** Why not in scope (empty when in scope). */
  readonly reasons: readonly string[];
}

/** Out of scope unless the tags show Type A on the private backbone and say in-scope; unknown counts as out (never claim scope that cannot be shown). */
export function scopeOf(tenant: TenantView): ScopeView {
  const type = tenant.tags['ras:gateway-type'];
  const linked = tenant.tags['ras:linked-service'];
  const declared = tenant.tags['ras:iso27017-scope'];
  const reasons: string[] = [];
  if (type !== ISO_SCOPE.gatewayType) reasons.push(`gateway type ${type ?? '(not tagged)'} (only Type ${ISO_SCOPE.gatewayType} is in scope)`);
  if (linked !== ISO_SCOPE.linkedService) reasons.push(`linked service ${linked ?? '(not tagged)'} (only ${ISO_SCOPE.linkedService} is in scope)`);
  if (declared !== 'in-scope' && reasons.length === 0) reasons.push(`ras:iso27017-scope tag is ${declared ?? '(absent)'}`);
  if (declared === 'in-scope' && reasons.length > 0) reasons.push('ras:iso27017-scope says in-scope, contradicting the tags above');
  return { inScope: reasons.length === 0, reasons };
}
