/**
 * Compliance rules on both sides: plan-review runs policies/' ISO/IEC 27017 pack over base and
 * over head and reports what fails on head and did not on base. The rules see the whole fleet of
 * a side (isolation is fleet-wide). Suppressions are not applied on either side: a finding that
 * exists on both is not new whatever is suppressed, and a new one deserves a reviewer's eye even
 * if head also adds a suppression for it.
 */
import { evaluateFleet } from '../policies/evaluate';
import { readFleetViews } from '../policies/inputs/read';
import { rolesDir } from './side';
import type { Side } from './types';

export interface RuleFinding {
  /** Stable rule id. */
  readonly rule: string;
  /** Terraform address (or file) the finding is about. */
  readonly resource?: string;
  readonly path?: string;
  readonly controls: readonly string[];
  readonly message: string;
}

/** Non-compliant findings of every rule, by tenant, for one side's synthesized output. */
export type EvaluateSide = (side: Side) => ReadonlyMap<string, readonly RuleFinding[]>;

/** The policies/ pack. Role defaults (crypto proposals) come from the side's own ansible/roles, else the current checkout's. */
export const evaluateWithPolicies: EvaluateSide = (side) => {
  const evaluation = evaluateFleet(readFleetViews(side.outdir, { rolesDir: rolesDir(side.root ?? side.outdir) }), []);
  return new Map(
    evaluation.tenants.map((t) => [
      t.tenant,
      t.rules
        .filter((r) => r.status === 'non_compliant')
        .flatMap((r) => r.findings.map((f) => ({ rule: r.id, resource: f.resource, path: f.path, controls: r.controls, message: `${f.path !== '' ? `${f.path}: ` : ''}${f.found} (required: ${f.required})` }))),
    ]),
  );
};

/** Findings on head with no finding of the same rule on the same resource and path on base. */
export function newlyFailing(base: readonly RuleFinding[], head: readonly RuleFinding[]): RuleFinding[] {
  const key = (f: RuleFinding) => `${f.rule} ${f.resource ?? ''} ${f.path ?? ''}`;
  const seen = new Set(base.map(key));
  return head.filter((f) => !seen.has(key(f)));
}
