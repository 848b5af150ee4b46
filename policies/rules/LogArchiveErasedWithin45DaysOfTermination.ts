import { ERASURE_DEADLINE_DAYS } from '../../commitments';
import { addDays, isCalendarDate } from '../../lib/calendar';
import { lifecycleRules } from '../../output/lifecycle';
import { evidence, finding, judge, notApplicable } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { DEFAULT_TAGS_ADDRESS, DEFAULT_TAGS_PATH, ofType, tenantStatus } from '../view';

/**
 * 4.3 / CLD8.1.5: once terminated, every bucket of the tenant has an enabled whole-bucket rule
 * that expires every object on a date, and removes the noncurrent versions it leaves, no later
 * than termination + 45 days.
 */
export const LogArchiveErasedWithin45DaysOfTermination: Rule = ({ tenant }) => {
  const status = tenantStatus(tenant);
  if ('finding' in status) return judge([status.finding], []);
  if (status.status === 'active') return notApplicable('active tenant: nothing is due for erasure');
  const tagPath = `${DEFAULT_TAGS_PATH}["ras:termination-date"]`;
  const terminated = tenant.tags['ras:termination-date'];
  if (terminated === undefined || !isCalendarDate(terminated)) {
    return judge([finding(DEFAULT_TAGS_ADDRESS, tagPath, terminated, 'the termination date (YYYY-MM-DD)')], []);
  }
  const deadline = addDays(terminated, ERASURE_DEADLINE_DAYS);
  const findings: Finding[] = [];
  const seen: Evidence[] = [evidence(DEFAULT_TAGS_ADDRESS, tagPath, terminated)];
  const rules = lifecycleRules(tenant.resources);
  for (const bucket of ofType(tenant, 'aws_s3_bucket')) {
    const eraseAll = rules.filter((r) => r.bucket === bucket.address && r.enabled && r.prefix === '' && r.expirationDate !== undefined);
    if (eraseAll.length === 0) {
      findings.push(finding(bucket.address, 'lifecycle', undefined, `an enabled whole-bucket rule expiring every object by ${deadline}`));
      continue;
    }
    const done = eraseAll.map((r) => ({ r, last: lastDay(r.expirationDate, r.noncurrentDays) }));
    const ok = done.find((d) => d.last !== undefined && d.last <= deadline);
    if (ok !== undefined) {
      seen.push(evidence(ok.r.resource, `${ok.r.path}.expiration.date`, ok.r.expirationDate), evidence(ok.r.resource, `${ok.r.path}.noncurrent_version_expiration.noncurrent_days`, ok.r.noncurrentDays));
    } else {
      for (const d of done) {
        findings.push(
          finding(d.r.resource, `${d.r.path}.expiration.date + noncurrent_days`, `${String(d.r.expirationDate)} + ${String(d.r.noncurrentDays)} days`, `all data gone by ${deadline} (termination ${terminated} + ${ERASURE_DEADLINE_DAYS} days)`),
        );
      }
    }
  }
  return judge(findings, seen);
};

/** The day the last noncurrent version goes: expiration date plus the noncurrent-version delay. */
function lastDay(date: unknown, noncurrentDays: unknown): string | undefined {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}(T00:00:00Z)?$/.test(date) || typeof noncurrentDays !== 'number') return undefined;
  return addDays(date.slice(0, 10), noncurrentDays);
}
