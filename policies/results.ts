/** Small constructors for rule results, so every rule reports the same way. */
import type { Evidence, Finding, RuleResult } from './types';

/** Compliant when nothing was found wrong; the evidence is kept either way. */
export function judge(findings: readonly Finding[], evidence: readonly Evidence[], notes?: readonly string[]): RuleResult {
  if (findings.length > 0) return { status: 'non_compliant', findings, evidence };
  return notes !== undefined && notes.length > 0 ? { status: 'compliant', evidence, notes } : { status: 'compliant', evidence };
}

export function notApplicable(reason: string): RuleResult {
  return { status: 'not_applicable', reason };
}

export function finding(resource: string, path: string, found: unknown, required: string): Finding {
  return { resource, path, found: show(found), required };
}

export function evidence(resource: string, path: string, value: unknown): Evidence {
  return { resource, path, value: show(value) };
}

/**
 * Evidence that something is absent names exactly what was searched: which resource types (or
 * resources) and which attributes, so an auditor can repeat the search.
 */
export function absence(searched: readonly string[], attributes: string, value: string): Evidence {
  return { resource: `searched: ${searched.join(', ')}`, path: attributes, value };
}

/** A value as an auditor reads it: strings bare, absent values named, the rest as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
