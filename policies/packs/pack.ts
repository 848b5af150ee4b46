/** A pack binds rules to the controls they give evidence for (after cdk-nag's NagPack). */
import type { Rule } from '../types';

export type Severity = 'high' | 'medium' | 'low';

export interface PackEntry {
  /** Stable rule id: the rule's file and function name. */
  readonly id: string;
  readonly rule: Rule;
  /** Catalog control ids this rule gives evidence for. */
  readonly controls: readonly string[];
  readonly severity: Severity;
  /** What the rule checks and why it proves the controls, for findings and reports. */
  readonly explanation: { readonly en: string; readonly ja: string };
}
