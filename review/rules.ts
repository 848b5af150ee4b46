/**
 * The seam to the compliance rules (policies/, built in parallel). plan-review runs the same rules
 * on both sides and reports a rule that fails on head but not on base. Until policies/ offers an
 * evaluate function, no evaluator is wired and the review says rules were not evaluated.
 */
import type { TenantOutput } from './types';

export interface RuleFinding {
  /** Stable rule id. */
  readonly rule: string;
  /** Terraform address (or file) the finding is about. */
  readonly resource?: string;
  readonly controls: readonly string[];
  readonly message: string;
}

/** Non-compliant findings of every rule for one tenant's synthesized output. */
export type EvaluateTenant = (tenant: TenantOutput) => readonly RuleFinding[];

/** Findings on head with no equal finding (same rule, same resource) on base. */
export function newlyFailing(base: readonly RuleFinding[], head: readonly RuleFinding[]): RuleFinding[] {
  const seen = new Set(base.map((f) => `${f.rule} ${f.resource ?? ''}`));
  return head.filter((f) => !seen.has(`${f.rule} ${f.resource ?? ''}`));
}
