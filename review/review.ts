/**
 * plan-review's one function: two synthesized sides in, a Review out. The CLI and the tests call
 * this same function.
 */
import { controlsForGatewayVariable, controlsForPortalSetting, sortControls } from './controls';
import { diffStacks } from './diff';
import { advance, startPhase } from '../lib/progress';
import { ReviewInputError } from './errors';
import { gatewayVarChanges } from './gateway-vars';
import { serviceImpact } from './impact';
import { changesFromPlan, type PlanDocument } from './plan-docs';
import { portalChanges, portalWeakenings } from './portal';
import { defaultTags } from './resources';
import { findRisks } from './risks';
import type { EvaluateSide, RuleFinding } from './rules';
import { ACTIONS, type Action, type ResourceChange, type Review, type Side, type StackConfig, type TenantReview } from './types';

export interface ReviewOptions {
  /** Terraform plan documents by tenant; their actions win over our own classification. */
  readonly plans?: ReadonlyMap<string, PlanDocument>;
  /** Compliance rules run on both sides (evaluateWithPolicies). @default - none (the review says rules were not run) */
  readonly evaluate?: EvaluateSide;
}

export function reviewSides(base: Side, head: Side, options: ReviewOptions = {}): Review {
  const ids = [...new Set([...base.tenants.keys(), ...head.tenants.keys()])].sort();
  if (ids.length === 0) throw new ReviewInputError(`neither ${base.label} nor ${head.label} holds a tenant stack: nothing to review (run \`ras synth\` with the tenants' contracts first)`);
  for (const tenant of options.plans?.keys() ?? []) {
    if (!ids.includes(tenant)) throw new ReviewInputError(`plan given for ${tenant}, which is on neither side (tenants: ${ids.join(', ') || 'none'})`);
  }
  startPhase('evaluating the rules on both sides');
  const findings = options.evaluate !== undefined ? { base: options.evaluate(base), head: options.evaluate(head) } : undefined;
  const reviews: TenantReview[] = [];
  const unchanged: string[] = [];
  startPhase('reviewing', ids.length);
  for (const id of ids) {
    const rules = findings !== undefined ? { base: findings.base.get(id) ?? [], head: findings.head.get(id) ?? [] } : undefined;
    const r = reviewTenant(id, base, head, options, rules);
    if (r === undefined) unchanged.push(id);
    else reviews.push(r);
    advance();
  }
  reviews.sort((a, b) => Number(b.risks.length > 0) - Number(a.risks.length > 0) || (a.tenant < b.tenant ? -1 : 1));
  return { base: base.label, head: head.label, tenants: reviews, unchanged, risky: reviews.some((r) => r.risks.length > 0), rulesEvaluated: options.evaluate !== undefined };
}

function reviewTenant(
  id: string,
  baseSide: Side,
  headSide: Side,
  options: ReviewOptions,
  rules: { base: readonly RuleFinding[]; head: readonly RuleFinding[] } | undefined,
): TenantReview | undefined {
  const base = baseSide.tenants.get(id);
  const head = headSide.tenants.get(id);
  const stack = base === undefined ? 'added' : head === undefined ? 'removed' : 'changed';
  const gone = "the tenant's stack is no longer synthesized";
  const own = diffStacks(base?.config, head?.config).map((c) => (stack === 'removed' ? { ...c, reason: c.reason !== undefined ? `${gone}; ${c.reason}` : gone } : c));
  const plan = options.plans?.get(id);
  const changes: ResourceChange[] = plan !== undefined ? changesFromPlan(plan, own) : own;
  const gatewayVars = gatewayVarChanges(base?.gatewayVars, head?.gatewayVars);
  const portal = portalChanges(base?.portal, head?.portal);
  const risks = [...findRisks({ tenant: id, base, head, changes, rules }), ...portalWeakenings(id, base?.portal, head?.portal)];
  if (stack === 'changed' && changes.length === 0 && gatewayVars.length === 0 && portal.length === 0 && risks.length === 0) return undefined;
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const c of changes) counts[c.action] += 1;
  const controls = sortControls([
    ...changes.flatMap((c) => c.controls),
    ...gatewayVars.flatMap((v) => controlsForGatewayVariable(v.path)),
    ...portal.flatMap((p) => controlsForPortalSetting(p.path)),
    ...risks.flatMap((r) => r.controls),
  ]);
  const recipients = headSide.operators?.get(id) ?? baseSide.operators?.get(id);
  return {
    tenant: id,
    stack,
    counts,
    changes,
    gatewayVars,
    portal,
    risks,
    controls,
    serviceImpact: serviceImpact({ stack, changes, gatewayVars, portal, risks }),
    services: servicesOf((head ?? base)?.config),
    ...(recipients !== undefined ? { recipients } : {}),
    source: plan !== undefined ? 'terraform-plan' : 'config',
  };
}

/** Service codes and labels from the default tags (`ras:service-code:<part>`, `ras:label:<code>`). */
function servicesOf(config: StackConfig | undefined): TenantReview['services'] {
  const tags = defaultTags(config);
  return Object.entries(tags)
    .filter(([k]) => k.startsWith('ras:service-code:'))
    .map(([, code]) => (tags[`ras:label:${code}`] !== undefined ? { code, label: tags[`ras:label:${code}`] } : { code }));
}
