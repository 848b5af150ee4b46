/**
 * The report as data: everything an auditor reads, for one tenant or the fleet, in both
 * languages. The HTML and Markdown renderers only lay this out; report.json is this, verbatim.
 */
import { CONTROLS } from '../policies/catalog';
import type { ControlStatus, FleetVerdict, RuleOutcome, TenantEvaluation } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import { RESPONSIBILITY_SPLIT, type Bilingual } from './i18n';
import type { Provenance } from './provenance';
import { verdictOf, type Verdict } from './verdict';

export { verdictOf, type Verdict };

export const REPORT_FORMAT = 'ras-iso27017-report/2';


export interface ControlReport {
  readonly id: string;
  readonly section: string;
  readonly title: Bilingual;
  readonly responsibility: 'provider' | 'customer' | 'shared';
  readonly evidenceKind: 'configuration' | 'procedural';
  readonly commitment: Bilingual;
  readonly status: ControlStatus;
  /** Compliant only because a declared exception covers a finding: shown as such. */
  readonly withSuppressions: boolean;
  readonly rules: readonly RuleOutcome[];
}

export interface TenantReport {
  readonly format: typeof REPORT_FORMAT;
  readonly provenance: Provenance;
  readonly generatedAt: string;
  readonly verdict: Verdict;
  readonly tenant: string;
  readonly contractStatus: string;
  readonly scope: { readonly inScope: boolean; readonly reasons: readonly string[] };
  readonly passed: boolean;
  readonly summary: Readonly<Record<ControlStatus, number>>;
  readonly responsibilitySplit: typeof RESPONSIBILITY_SPLIT;
  readonly controls: readonly ControlReport[];
  readonly suppressions: readonly Suppression[];
  readonly unusedSuppressions: readonly Suppression[];
}

export interface FleetReport {
  readonly format: typeof REPORT_FORMAT;
  readonly provenance: Provenance;
  readonly generatedAt: string;
  readonly tenants: readonly {
    readonly tenant: string;
    readonly contractStatus: string;
    readonly inScope: boolean;
    readonly scopeReasons: readonly string[];
    readonly passed: boolean;
    readonly verdict: Verdict;
  }[];
  readonly controls: readonly { readonly id: string; readonly section: string; readonly title: Bilingual; readonly evidenceKind: string; readonly statuses: Readonly<Record<string, ControlStatus>> }[];
  readonly suppressions: readonly Suppression[];
  readonly unusedSuppressions: readonly Suppression[];
}

/** `suppressions` and `unusedSuppressions` may be the fleet's: the report keeps the tenant's own. */
export function tenantReport(
  t: TenantEvaluation,
  suppressions: { readonly suppressions: readonly Suppression[]; readonly unusedSuppressions: readonly Suppression[] },
  provenance: Provenance,
): TenantReport {
  const controls = t.controls.map((c) => ({
    id: c.control.id,
    section: c.control.section,
    title: c.control.title,
    responsibility: c.control.responsibility,
    evidenceKind: c.control.evidence,
    commitment: c.control.commitment,
    status: c.status,
    withSuppressions: c.hasSuppressions,
    rules: t.rules.filter((r) => c.rules.includes(r.id)),
  }));
  const summary: Record<ControlStatus, number> = { compliant: 0, compliant_by_exception: 0, non_compliant: 0, not_applicable: 0, procedural: 0 };
  for (const c of controls) summary[c.status]++;
  return {
    format: REPORT_FORMAT,
    provenance,
    generatedAt: provenance.generatedAt,
    verdict: verdictOf(t.scope.inScope, t.passed),
    tenant: t.tenant,
    contractStatus: t.status,
    scope: t.scope,
    passed: t.passed,
    summary,
    responsibilitySplit: RESPONSIBILITY_SPLIT,
    controls,
    suppressions: suppressions.suppressions.filter((s) => s.tenant === t.tenant),
    unusedSuppressions: suppressions.unusedSuppressions.filter((s) => s.tenant === t.tenant),
  };
}

export function fleetReport(evaluation: FleetVerdict, provenance: Provenance): FleetReport {
  return {
    format: REPORT_FORMAT,
    provenance,
    generatedAt: provenance.generatedAt,
    tenants: evaluation.tenants.map((t) => ({
      tenant: t.tenant,
      contractStatus: t.status,
      inScope: t.scope.inScope,
      scopeReasons: t.scope.reasons,
      passed: t.passed,
      verdict: verdictOf(t.scope.inScope, t.passed),
    })),
    controls: CONTROLS.map((c) => ({
      id: c.id,
      section: c.section,
      title: c.title,
      evidenceKind: c.evidence,
      statuses: Object.fromEntries(evaluation.tenants.map((t) => [t.tenant, t.controls.find((x) => x.control.id === c.id)?.status ?? 'non_compliant'])),
    })),
    suppressions: evaluation.suppressions,
    unusedSuppressions: evaluation.unusedSuppressions,
  };
}
