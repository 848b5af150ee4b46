/** `ras check` output: per tenant, every unsuppressed finding with rule, control, resource, found and required. */
import type { FleetVerdict, TenantVerdict } from '../policies/evaluate';

export function checkText(evaluation: FleetVerdict): string {
  const lines: string[] = [];
  for (const t of evaluation.tenants) lines.push(...tenantLines(t), '');
  const failed = evaluation.tenants.filter((t) => !t.passed);
  for (const s of evaluation.unusedSuppressions) lines.push(`unused suppression: ${s.rule} on ${s.tenant} ${s.resource} (matches no finding; remove it)`);
  lines.push(`checked ${evaluation.tenants.length} tenant(s): ${evaluation.tenants.length - failed.length} passed, ${failed.length} failed${failed.length > 0 ? ` (${failed.map((t) => t.tenant).join(', ')})` : ''}`);
  return `${lines.join('\n')}\n`;
}

function tenantLines(t: TenantVerdict): string[] {
  const scope = t.scope.inScope ? 'in ISO/IEC 27017 scope' : `OUT OF ISO/IEC 27017 scope: ${t.scope.reasons.join('; ')}`;
  const failing = t.rules.filter((r) => r.status === 'non_compliant');
  const controls = t.controls.filter((c) => c.status === 'non_compliant').map((c) => c.control.id);
  const lines = [`${t.tenant}  (${t.status}, ${scope})  ${t.passed ? (t.scope.inScope ? 'PASS' : 'PASS (information only: out of scope)') : `FAIL: ${failing.length} rule(s), control(s) ${controls.join(', ')}`}`];
  for (const r of failing) {
    lines.push(`  FAIL ${r.id}  [control ${r.controls.join(', ')}]  severity ${r.severity}`);
    for (const f of r.findings) {
      lines.push(`       resource: ${f.resource}${f.path !== '' ? `  ${f.path}` : ''}`, `       found:    ${f.found}`, `       required: ${f.required}`);
    }
  }
  for (const r of t.rules) {
    for (const s of r.suppressed) lines.push(`  suppressed ${r.id} on ${s.finding.resource}: ${s.suppression.reason}`);
    for (const n of r.notes) lines.push(`  note ${r.id}: ${n}`);
    const x = r.exception;
    if (x !== undefined) {
      lines.push(`  note ${r.id}: legacy cryptography under the contract's recorded opt-in, compliant by recorded exception (approved by ${x.approvedBy} on ${x.approvedOn ?? '(date not recorded)'}: ${x.reason}): ${x.covers}`);
    }
  }
  return lines;
}

/** `ras check --format json`: the findings, machine-readable. */
export function checkJson(evaluation: FleetVerdict): string {
  return `${JSON.stringify(
    {
      passed: evaluation.tenants.every((t) => t.passed),
      tenants: evaluation.tenants.map((t) => ({
        tenant: t.tenant,
        status: t.status,
        inScope: t.scope.inScope,
        scopeReasons: t.scope.reasons,
        passed: t.passed,
        failedControls: t.controls.filter((c) => c.status === 'non_compliant').map((c) => c.control.id),
        findings: t.rules.flatMap((r) => r.findings.map((f) => ({ rule: r.id, controls: r.controls, severity: r.severity, ...f }))),
        suppressed: t.rules.flatMap((r) => r.suppressed.map((s) => ({ rule: r.id, controls: r.controls, ...s.finding, reason: s.suppression.reason }))),
        notes: t.rules.flatMap((r) => r.notes.map((note) => ({ rule: r.id, note }))),
      })),
      unusedSuppressions: evaluation.unusedSuppressions,
    },
    null,
    2,
  )}\n`;
}
