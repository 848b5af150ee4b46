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


/**
 * A reading of what is deployed (`ras drift`'s: the tenant's refreshed Terraform state), shown beside
 * the intended configuration: what differs, and the rules' results on the deployed state.
 */
export interface DeployedReading {
  /** The state read (`terraform show -json` of the tenant's refreshed state). */
  readonly source: string;
  readonly differences: readonly { readonly address: string; readonly attribute: string; readonly intended: unknown; readonly deployed: unknown }[];
  readonly evaluation: TenantEvaluation;
}

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
  /** The status on the deployed state, when it was read; `rules` there are only those whose status differs. */
  readonly deployed?: { readonly status: ControlStatus; readonly differs: boolean; readonly rules: readonly RuleOutcome[] };
}

/** What the report shows of the deployed state. Values are shown as text (JSON for anything but a string). */
export interface DeployedSection {
  readonly source: string;
  readonly passed: boolean;
  readonly differences: readonly { readonly address: string; readonly attribute: string; readonly intended: string; readonly deployed: string }[];
  /** Controls whose status on the deployed state is not their intended status. */
  readonly controlsDiffering: readonly string[];
  readonly summary: Readonly<Record<ControlStatus, number>>;
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
  /** Present when the deployed state was read: then the report shows both readings and flags differences. */
  readonly deployed?: DeployedSection;
  readonly suppressions: readonly Suppression[];
  readonly unusedSuppressions: readonly Suppression[];
}

/**
 * The fleet as the fleet page shows it. Not written whole: fleet.json holds all but the grid, each
 * page's JSON its own tenants' columns of it (report/fleet-json.ts).
 */
export interface FleetReport {
  readonly provenance: Provenance;
  readonly generatedAt: string;
  readonly tenants: readonly {
    readonly tenant: string;
    readonly contractStatus: string;
    readonly inScope: boolean;
    readonly scopeReasons: readonly string[];
    readonly passed: boolean;
    readonly verdict: Verdict;
    /** Present for a tenant whose deployed state was read. */
    readonly deployed?: { readonly source: string; readonly differences: number; readonly passed: boolean };
  }[];
  readonly controls: readonly {
    readonly id: string;
    readonly section: string;
    readonly title: Bilingual;
    readonly evidenceKind: string;
  }[];
  /** Each control's status of each tenant: by control (in `controls` order), then by tenant position. */
  readonly grid: readonly (readonly ControlStatus[])[];
  /** The same on the deployed state, when any was read: undefined for a tenant whose state was not. */
  readonly deployedGrid?: readonly (readonly (ControlStatus | undefined)[])[];
  readonly suppressions: readonly Suppression[];
  readonly unusedSuppressions: readonly Suppression[];
}

/** `suppressions` and `unusedSuppressions` may be the fleet's: the report keeps the tenant's own. */
export function tenantReport(
  t: TenantEvaluation,
  suppressions: { readonly suppressions: readonly Suppression[]; readonly unusedSuppressions: readonly Suppression[] },
  provenance: Provenance,
  deployed?: DeployedReading,
): TenantReport {
  const controls: ControlReport[] = t.controls.map((c) => ({
    id: c.control.id,
    section: c.control.section,
    title: c.control.title,
    responsibility: c.control.responsibility,
    evidenceKind: c.control.evidence,
    commitment: c.control.commitment,
    status: c.status,
    withSuppressions: c.hasSuppressions,
    rules: t.rules.filter((r) => c.rules.includes(r.id)),
    ...(deployed === undefined ? {} : { deployed: deployedControl(c.control.id, t, deployed.evaluation) }),
  }));
  return {
    format: REPORT_FORMAT,
    provenance: deployed === undefined ? provenance : withDeployedReading(provenance, deployed.source),
    generatedAt: provenance.generatedAt,
    verdict: verdictOf(t.scope.inScope, t.passed),
    tenant: t.tenant,
    contractStatus: t.status,
    scope: t.scope,
    passed: t.passed,
    summary: summaryOf(controls.map((c) => c.status)),
    responsibilitySplit: RESPONSIBILITY_SPLIT,
    controls,
    ...(deployed === undefined ? {} : { deployed: deployedSection(controls, deployed) }),
    suppressions: suppressions.suppressions.filter((s) => s.tenant === t.tenant),
    unusedSuppressions: suppressions.unusedSuppressions.filter((s) => s.tenant === t.tenant),
  };
}

function summaryOf(statuses: readonly ControlStatus[]): Record<ControlStatus, number> {
  const summary: Record<ControlStatus, number> = { compliant: 0, compliant_by_exception: 0, non_compliant: 0, not_applicable: 0, procedural: 0 };
  for (const s of statuses) summary[s]++;
  return summary;
}

/** The provenance of a report that read the deployed state too: both readings are listed. */
export function withDeployedReading(provenance: Provenance, source: string): Provenance {
  return { ...provenance, evidence: [...provenance.evidence.filter((e) => e.kind !== 'deployed_state'), { kind: 'deployed_state', source }] };
}

function deployedControl(id: string, intended: TenantEvaluation, deployed: TenantEvaluation): NonNullable<ControlReport['deployed']> {
  const mine = intended.controls.find((c) => c.control.id === id)!;
  const theirs = deployed.controls.find((c) => c.control.id === id)!;
  const rules = deployed.rules.filter((r) => theirs.rules.includes(r.id) && r.status !== intended.rules.find((x) => x.id === r.id)?.status);
  return { status: theirs.status, differs: theirs.status !== mine.status, rules };
}

function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? 'null';
}

function deployedSection(controls: readonly ControlReport[], d: DeployedReading): DeployedSection {
  return {
    source: d.source,
    passed: d.evaluation.passed,
    differences: d.differences.map((x) => ({ address: x.address, attribute: x.attribute, intended: shown(x.intended), deployed: shown(x.deployed) })),
    controlsDiffering: controls.filter((c) => c.deployed?.differs === true).map((c) => c.id),
    summary: summaryOf(controls.map((c) => c.deployed!.status)),
  };
}

export function fleetReport(evaluation: FleetVerdict, provenance: Provenance, deployed: ReadonlyMap<string, DeployedReading> = new Map()): FleetReport {
  const anyDeployed = deployed.size > 0;
  // Filled tenant by tenant through each control's position: looking statuses up by tenant name
  // (1.7 million lookups at 10,000 tenants) or by a find per control was most of the page's cost.
  const position = new Map(CONTROLS.map((c, k) => [c.id, k]));
  const gridOf = (statuses: (t: string) => readonly { readonly control: { readonly id: string }; readonly status: ControlStatus }[] | undefined) => {
    const grid: (ControlStatus | undefined)[][] = CONTROLS.map(() => new Array<ControlStatus | undefined>(evaluation.tenants.length));
    evaluation.tenants.forEach((t, i) => {
      const controls = statuses(t.tenant);
      if (controls === undefined) return;
      for (const k of grid) k[i] = 'non_compliant';
      for (const x of controls) {
        const k = position.get(x.control.id);
        if (k !== undefined) grid[k][i] = x.status;
      }
    });
    return grid;
  };
  const own = new Map(evaluation.tenants.map((t) => [t.tenant, t.controls]));
  return {
    provenance: anyDeployed ? withDeployedReading(provenance, deployedSourcePattern(deployed)) : provenance,
    generatedAt: provenance.generatedAt,
    tenants: evaluation.tenants.map((t) => ({
      tenant: t.tenant,
      contractStatus: t.status,
      inScope: t.scope.inScope,
      scopeReasons: t.scope.reasons,
      passed: t.passed,
      verdict: verdictOf(t.scope.inScope, t.passed),
      ...(deployed.has(t.tenant) ? { deployed: { source: deployed.get(t.tenant)!.source, differences: deployed.get(t.tenant)!.differences.length, passed: deployed.get(t.tenant)!.evaluation.passed } } : {}),
    })),
    controls: CONTROLS.map((c) => ({ id: c.id, section: c.section, title: c.title, evidenceKind: c.evidence })),
    grid: gridOf((t) => own.get(t)) as ControlStatus[][],
    ...(anyDeployed ? { deployedGrid: gridOf((t) => deployed.get(t)?.evaluation.controls) } : {}),
    suppressions: evaluation.suppressions,
    unusedSuppressions: evaluation.unusedSuppressions,
  };
}

/** The fleet's deployed-state source: the states' folder with <tenant> in place of each tenant's file. */
function deployedSourcePattern(deployed: ReadonlyMap<string, DeployedReading>): string {
  const sources = [...deployed].map(([id, d]) => d.source.split(id).join('<tenant>'));
  return [...new Set(sources)].join(', ');
}
