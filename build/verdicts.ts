/**
 * Verdicts as the build keeps them for the whole fleet (the check output and the fleet page):
 * only the rules that have something to say (findings, suppressed findings, notes, a recorded
 * exception). Every other
 * rule outcome is compliant or not applicable with nothing to print, and the control statuses
 * already carry it; dropping them keeps a 10,000-tenant fleet's verdicts small on the main
 * thread and in a shard's record.
 */
import type { TenantVerdict } from '../policies/evaluate';

export function compactVerdict(t: TenantVerdict): TenantVerdict {
  return { ...t, rules: t.rules.filter((r) => r.findings.length > 0 || r.suppressed.length > 0 || r.notes.length > 0 || r.exception !== undefined) };
}
