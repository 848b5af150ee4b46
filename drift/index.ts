/**
 * `ras drift`: per tenant, what the deployed state holds that the synthesized intent does not
 * (drift/differences.ts), and the ISO/IEC 27017 rules run on what is deployed (drift/deployed.ts
 * turns the state into the document the rules read). The fleet-wide rules see the deployed
 * tenants beside the intent of the others.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateFleet, type TenantEvaluation, type TenantVerdict, verdictOf } from '../policies/evaluate';
import { viewOfStack } from '../policies/inputs/read';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import { loadSuppressions } from '../policies/suppressions';
import { readOutputFolder } from '../output/read';
import { deployedTf, DeployedStateError, readStateFile } from './deployed';
import { differences, type Difference } from './differences';

export { DeployedStateError };

export interface DriftOptions {
  /** Synthesized output (the intent). */
  readonly outdir: string;
  /** Folder of `<tenant>.json` files, each `terraform show -json` of that tenant's (refreshed) state. */
  readonly statesDir: string;
  /** Tenants to report; each must have a state file. @default - every tenant with a state file */
  readonly only?: readonly string[];
  readonly rolesDir: string;
  readonly suppressionsFile: string;
}

export interface TenantDrift {
  readonly tenant: string;
  readonly stateFile: string;
  readonly differences: readonly Difference[];
  /** The rules' verdict on the deployed state. */
  readonly verdict: TenantVerdict;
  /** The rules' full results on the deployed state (what the reports show beside the intent's). */
  readonly evaluation: TenantEvaluation;
}

export function driftFleet(options: DriftOptions): TenantDrift[] {
  const stacks = readOutputFolder(options.outdir, { rolesDir: options.rolesDir });
  if (stacks.length === 0) throw new DeployedStateError(`no synthesized stacks under ${join(options.outdir, 'stacks')} (run ras synth first)`);
  const stateFile = (id: string) => join(options.statesDir, `${id}.json`);
  const selected = options.only ?? stacks.map((s) => s.id).filter((id) => existsSync(stateFile(id)));
  for (const id of selected) {
    if (!stacks.some((s) => s.id === id)) throw new DeployedStateError(`unknown tenant ${id}: no synthesized stack under ${join(options.outdir, 'stacks')}`);
    if (!existsSync(stateFile(id))) throw new DeployedStateError(`${stateFile(id)}: no deployed state for ${id} (terraform show -json of its state)`);
  }
  if (selected.length === 0) throw new DeployedStateError(`no deployed state under ${options.statesDir} (one <tenant>.json per tenant: terraform show -json)`);
  const deployed = new Map(selected.map((id) => [id, readStateFile(stateFile(id))]));
  const views = stacks.map((s) => {
    const state = deployed.get(s.id);
    return viewOfStack(state === undefined ? s : { ...s, tf: deployedTf(s.tf, state) });
  });
  const suppressions = loadSuppressions(options.suppressionsFile, ISO27017_PACK.map((e) => e.id));
  const evaluation = evaluateFleet(views, suppressions);
  return selected.map((id) => {
    const intent = stacks.find((s) => s.id === id)!;
    const judged = evaluation.tenants.find((t) => t.tenant === id)!;
    return {
      tenant: id,
      stateFile: stateFile(id),
      differences: differences(intent.tf, deployedTf(intent.tf, deployed.get(id)!)),
      verdict: verdictOf(judged),
      evaluation: judged,
    };
  });
}

/** The report: per tenant, each difference, then each failing rule with its control. */
export function driftText(drifts: readonly TenantDrift[]): string {
  const lines: string[] = [];
  for (const d of drifts) {
    const failing = d.verdict.rules.filter((r) => r.status === 'non_compliant');
    const ok = d.differences.length === 0 && failing.length === 0;
    lines.push(`${d.tenant}  ${ok ? 'NO DRIFT' : `DRIFT: ${d.differences.length} difference(s), ${failing.length} failing rule(s)`}  (${d.stateFile})`);
    for (const x of d.differences) {
      lines.push(`  differs  ${x.address}${x.attribute === '' ? '' : `  ${x.attribute}`}`, `           intended: ${show(x.intended)}`, `           deployed: ${show(x.deployed)}`);
    }
    for (const r of failing) {
      lines.push(`  FAIL ${r.id}  [control ${r.controls.join(', ')}]  severity ${r.severity}`);
      for (const f of r.findings) lines.push(`       resource: ${f.resource}${f.path !== '' ? `  ${f.path}` : ''}`, `       found:    ${f.found}`, `       required: ${f.required}`);
    }
  }
  const drifted = drifts.filter((d) => d.differences.length > 0 || !d.verdict.passed);
  lines.push(`drift: ${drifts.length} tenant(s) compared, ${drifted.length} drifted${drifted.length > 0 ? ` (${drifted.map((d) => d.tenant).join(', ')})` : ''}`);
  return `${lines.join('\n')}\n`;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
