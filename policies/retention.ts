/** Shared by the 90-day and 30-day retention rules: one prefix, one exact lifetime. */
import { lifecycleRules } from '../output/lifecycle';
import { evidence, finding, judge, notApplicable } from './results';
import type { Evidence, Finding, RuleResult, TenantView } from './types';
import { tenantStatus } from './view';

/**
 * The objects under `prefix` expire exactly `days` days after they were written: an enabled
 * rule says so, and no broader enabled rule removes them sooner.
 */
export function prefixExpiresAfter(tenant: TenantView, prefix: string, days: number, what: string): RuleResult {
  const status = tenantStatus(tenant);
  if ('finding' in status) return judge([status.finding], []);
  const rules = lifecycleRules(tenant.resources).filter((r) => r.enabled);
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const own = rules.filter((r) => r.prefix === prefix && r.expirationDays !== undefined);
  if (own.length === 0) findings.push(finding('aws_s3_bucket_lifecycle_configuration', 'rule', undefined, `an enabled rule expiring ${what} (${prefix}) after ${days} days`));
  for (const r of own) {
    if (r.expirationDays === days) seen.push(evidence(r.resource, `${r.path}.expiration.days (${r.id}, prefix ${prefix})`, days));
    else findings.push(finding(r.resource, `${r.path}.expiration.days (${r.id}, prefix ${prefix})`, r.expirationDays, `${days}`));
  }
  for (const r of rules) {
    if (r.prefix === undefined || r.prefix === prefix || !prefix.startsWith(r.prefix)) continue;
    if (typeof r.expirationDays === 'number' && r.expirationDays < days) {
      findings.push(finding(r.resource, `${r.path}.expiration.days (${r.id}, prefix "${r.prefix}")`, r.expirationDays, `no broader rule removing ${prefix} before ${days} days`));
    }
  }
  if (status.status === 'terminated' && findings.length === 0 && seen.length === 0) return notApplicable('terminated tenant: erasure after termination applies');
  return judge(findings, seen);
}
