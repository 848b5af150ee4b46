/**
 * Runs the pack over every tenant of the fleet, applies the declared suppressions and folds the
 * rule results into the catalog: one status per control per tenant. Pure: the inputs are the
 * views read from the synthesized output.
 */
import { claimsOf, fleetIndex, type FleetIndex } from './address-space';
import { CONTROLS, type Control } from './catalog';
import { ISO27017_PACK } from './packs/iso27017';
import type { PackEntry, Severity } from './packs/pack';
import { scopeOf, type ScopeView } from './scope';
import type { Suppression } from './suppressions';
import { resolveEvidence, type ResolvedEvidence } from './resolve';
import type { Finding, RecordedException, RuleResult, TenantView } from './types';

export type RuleStatus = 'compliant' | 'compliant_by_exception' | 'non_compliant' | 'not_applicable' | 'suppressed';
export type ControlStatus = 'compliant' | 'compliant_by_exception' | 'non_compliant' | 'not_applicable' | 'procedural';

export interface RuleOutcome {
  readonly id: string;
  readonly controls: readonly string[];
  readonly severity: Severity;
  readonly explanation: { readonly en: string; readonly ja: string };
  readonly status: RuleStatus;
  /** Findings no suppression covers: these fail the check. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly { readonly finding: Finding; readonly suppression: Suppression }[];
  readonly evidence: readonly ResolvedEvidence[];
  readonly notes: readonly string[];
  /** Why the rule does not apply (not_applicable only). */
  readonly reason?: string;
  /** The contract's recorded exception this result rests on (compliant_by_exception only). */
  readonly exception?: RecordedException;
}

export interface ControlOutcome {
  readonly control: Control;
  readonly status: ControlStatus;
  readonly rules: readonly string[];
  /** True when a finding under this control was suppressed. */
  readonly hasSuppressions: boolean;
}

export interface TenantEvaluation {
  readonly tenant: string;
  readonly status: string;
  readonly scope: ScopeView;
  readonly rules: readonly RuleOutcome[];
  readonly controls: readonly ControlOutcome[];
  /** No unsuppressed finding. */
  readonly passed: boolean;
}

export interface FleetEvaluation {
  readonly tenants: readonly TenantEvaluation[];
  readonly suppressions: readonly Suppression[];
  readonly unusedSuppressions: readonly Suppression[];
}

/**
 * What the check output and the fleet page read of a tenant's evaluation: no evidence lists, no
 * catalog texts. A TenantEvaluation is one; verdictOf() strips one down to pass it between threads.
 */
export interface TenantVerdict {
  readonly tenant: string;
  readonly status: string;
  readonly scope: ScopeView;
  readonly rules: readonly Pick<RuleOutcome, 'id' | 'controls' | 'severity' | 'status' | 'findings' | 'suppressed' | 'notes' | 'exception'>[];
  readonly controls: readonly { readonly control: Pick<Control, 'id'>; readonly status: ControlStatus }[];
  readonly passed: boolean;
}

export interface FleetVerdict {
  readonly tenants: readonly TenantVerdict[];
  readonly suppressions: readonly Suppression[];
  readonly unusedSuppressions: readonly Suppression[];
}

export function verdictOf(t: TenantEvaluation): TenantVerdict {
  return {
    tenant: t.tenant,
    status: t.status,
    scope: t.scope,
    rules: t.rules.map(({ id, controls, severity, status, findings, suppressed, notes, exception }) => ({ id, controls, severity, status, findings, suppressed, notes, exception })),
    controls: t.controls.map((c) => ({ control: { id: c.control.id }, status: c.status })),
    passed: t.passed,
  };
}

export function evaluateFleet(views: readonly TenantView[], suppressions: readonly Suppression[] = [], pack: readonly PackEntry[] = ISO27017_PACK): FleetEvaluation {
  const used = new Set<Suppression>();
  const index = fleetIndex(views.map(claimsOf));
  const tenants = views.map((tenant) => evaluateTenant(tenant, index, suppressions, used, pack));
  return { tenants, suppressions, unusedSuppressions: suppressions.filter((s) => !used.has(s)) };
}

/**
 * One tenant against the pack, the rest of the fleet known only by its claims. The suppressions
 * that cover a finding are added to `used`; a suppression only ever covers its own tenant's findings.
 */
export function evaluateTenant(
  tenant: TenantView,
  fleet: FleetIndex,
  suppressions: readonly Suppression[],
  used: Set<Suppression>,
  pack: readonly PackEntry[] = ISO27017_PACK,
): TenantEvaluation {
  const rules = pack.map((entry) => outcome(entry, run(entry, tenant, fleet), tenant, suppressions, used));
  const controls = CONTROLS.map((control) => controlOutcome(control, rules));
  return {
    tenant: tenant.stackId,
    status: tenant.tags['ras:status'] ?? '(not tagged)',
    scope: scopeOf(tenant),
    rules,
    controls,
    passed: rules.every((r) => r.status !== 'non_compliant'),
  };
}

/** A rule that throws cannot vouch for anything: its failure is a finding (fail closed). */
function run(entry: PackEntry, tenant: TenantView, fleet: FleetIndex): RuleResult {
  let result: RuleResult;
  try {
    result = entry.rule({ tenant, fleet });
  } catch (e) {
    return { status: 'non_compliant', findings: [{ resource: entry.id, path: '', found: `rule failed: ${(e as Error).message}`, required: 'a rule that evaluates' }], evidence: [] };
  }
  // No pass without evidence: a rule that vouches for nothing it can show has not shown anything.
  if (result.status === 'compliant' && result.evidence.length === 0) {
    return { status: 'non_compliant', findings: [{ resource: entry.id, path: '', found: 'compliant with no evidence', required: 'evidence for every compliant result' }], evidence: [] };
  }
  return result;
}

function outcome(entry: PackEntry, result: RuleResult, view: TenantView, suppressions: readonly Suppression[], used: Set<Suppression>): RuleOutcome {
  const tenant = view.stackId;
  const base = { id: entry.id, controls: entry.controls, severity: entry.severity, explanation: entry.explanation };
  if (result.status === 'not_applicable') return { ...base, status: 'not_applicable', findings: [], suppressed: [], evidence: [], notes: [], reason: result.reason };
  if (result.status === 'compliant') {
    const evidence = resolveEvidence(result.evidence, view);
    if (result.exception !== undefined) return { ...base, status: 'compliant_by_exception', findings: [], suppressed: [], evidence, notes: result.notes ?? [], exception: result.exception };
    return { ...base, status: 'compliant', findings: [], suppressed: [], evidence, notes: result.notes ?? [] };
  }
  const open: Finding[] = [];
  const suppressed: { finding: Finding; suppression: Suppression }[] = [];
  for (const f of result.findings) {
    const s = suppressions.find((x) => x.rule === entry.id && x.tenant === tenant && x.resource === f.resource);
    if (s === undefined) open.push(f);
    else {
      used.add(s);
      suppressed.push({ finding: f, suppression: s });
    }
  }
  return { ...base, status: open.length > 0 ? 'non_compliant' : 'suppressed', findings: open, suppressed, evidence: resolveEvidence(result.evidence, view), notes: [] };
}

function controlOutcome(control: Control, rules: readonly RuleOutcome[]): ControlOutcome {
  const mine = rules.filter((r) => r.controls.includes(control.id));
  const hasSuppressions = mine.some((r) => r.suppressed.length > 0);
  const ids = mine.map((r) => r.id);
  if (control.evidence === 'procedural') return { control, status: 'procedural', rules: ids, hasSuppressions };
  // A configuration control no rule covers cannot be shown: never report it as passed.
  if (mine.length === 0 || mine.some((r) => r.status === 'non_compliant')) return { control, status: 'non_compliant', rules: ids, hasSuppressions };
  if (mine.every((r) => r.status === 'not_applicable')) return { control, status: 'not_applicable', rules: ids, hasSuppressions };
  if (mine.some((r) => r.status === 'compliant_by_exception')) return { control, status: 'compliant_by_exception', rules: ids, hasSuppressions };
  return { control, status: 'compliant', rules: ids, hasSuppressions };
}
