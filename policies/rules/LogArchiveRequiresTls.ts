import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { asList, block, deniesWithoutTls, ofType, policyStatements, referencedAddress } from '../view';

/**
 * 6.1 / 13.4: the log archive is reached only over TLS: its bucket policy denies every request
 * made without secure transport, for the bucket and every object.
 */
export const LogArchiveRequiresTls: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const buckets = ofType(tenant, 'aws_s3_bucket');
  if (buckets.length === 0) return judge([finding('aws_s3_bucket', '', undefined, "the tenant's log archive")], []);
  const policies = ofType(tenant, 'aws_s3_bucket_policy');
  for (const bucket of buckets) {
    const policy = policies.find((p) => referencedAddress(p.config.bucket) === bucket.address);
    if (policy === undefined) {
      findings.push(finding(bucket.address, 'policy', undefined, 'a bucket policy denying requests without TLS'));
      continue;
    }
    const statements = policyStatements(policy.config.policy);
    const i = (statements ?? []).findIndex((s) => denyWithoutTls(s, bucket.address));
    if (i >= 0) seen.push(evidence(policy.address, `policy.Statement[${i}]`, 'Deny s3:* when aws:SecureTransport is false (bucket and objects)'));
    else findings.push(finding(policy.address, 'policy.Statement', statements === undefined ? policy.config.policy : 'no such statement', 'Deny, Principal *, s3:* on the bucket and /*, when aws:SecureTransport is false'));
  }
  return judge(findings, seen);
};

function denyWithoutTls(s: Record<string, unknown>, bucket: string): boolean {
  const resources = asList(s.Resource).map(String);
  const arn = `\${${bucket}.arn}`;
  return (
    deniesWithoutTls(s) &&
    (s.Principal === '*' || block(s.Principal)?.AWS === '*') &&
    asList(s.Action).some((a) => a === 's3:*' || a === '*') &&
    resources.includes(arn) &&
    resources.includes(`${arn}/*`)
  );
}
