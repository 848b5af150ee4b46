import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { ofType, referencedAddress, sseDefault } from '../view';

/**
 * 5.7 / 13.3: the tenant's stored data (its log archive buckets) is encrypted with a
 * customer-managed KMS key declared in its own stack: no key material is shared between tenants.
 */
export const TenantDataEncryptedWithOwnKey: Rule = ({ tenant }) => {
  const keys = new Set(ofType(tenant, 'aws_kms_key').map((k) => k.address));
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  if (keys.size === 0) findings.push(finding('aws_kms_key', '', undefined, "the tenant's own KMS key"));
  const configs = ofType(tenant, 'aws_s3_bucket_server_side_encryption_configuration');
  for (const bucket of ofType(tenant, 'aws_s3_bucket')) {
    const sse = configs.find((c) => referencedAddress(c.config.bucket) === bucket.address);
    if (sse === undefined) {
      findings.push(finding(bucket.address, 'server_side_encryption_configuration', undefined, "SSE-KMS with the tenant's key"));
      continue;
    }
    const rule = sseDefault(sse.config);
    const alg = rule?.sse_algorithm;
    const key = rule?.kms_master_key_id;
    if (alg !== 'aws:kms' && alg !== 'aws:kms:dsse') findings.push(finding(sse.address, 'rule[0].apply_server_side_encryption_by_default.sse_algorithm', alg, 'aws:kms'));
    else if (!keys.has(referencedAddress(key) ?? '')) findings.push(finding(sse.address, 'rule[0].apply_server_side_encryption_by_default.kms_master_key_id', key, "a reference to the tenant's own aws_kms_key"));
    else seen.push(evidence(sse.address, 'rule[0].apply_server_side_encryption_by_default', `${alg} with ${String(key)}`));
  }
  return judge(findings, seen);
};
