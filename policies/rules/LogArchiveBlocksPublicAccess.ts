import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { block, ofType, referencedAddress } from '../view';

const BLOCKS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/**
 * 13.3 / 18.1.3: the logs are kept apart from customer networks and the public: every bucket
 * blocks all public access and has ACLs disabled (bucket owner enforced).
 */
export const LogArchiveBlocksPublicAccess: Rule = ({ tenant }) => {
  const buckets = ofType(tenant, 'aws_s3_bucket');
  if (buckets.length === 0) return judge([finding('aws_s3_bucket', '', undefined, "the tenant's log archive")], []);
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  for (const b of buckets) {
    const pab = ofType(tenant, 'aws_s3_bucket_public_access_block').find((p) => referencedAddress(p.config.bucket) === b.address);
    if (pab === undefined) findings.push(finding(b.address, 'public access block', undefined, 'an aws_s3_bucket_public_access_block with all four settings true'));
    else {
      for (const k of BLOCKS) {
        if (pab.config[k] === true) seen.push(evidence(pab.address, k, true));
        else findings.push(finding(pab.address, k, pab.config[k], 'true'));
      }
    }
    const own = ofType(tenant, 'aws_s3_bucket_ownership_controls').find((p) => referencedAddress(p.config.bucket) === b.address);
    const mode = block(own?.config.rule)?.object_ownership;
    if (own !== undefined && mode === 'BucketOwnerEnforced') seen.push(evidence(own.address, 'rule.object_ownership', mode));
    else findings.push(finding(own?.address ?? b.address, 'rule.object_ownership', mode, 'BucketOwnerEnforced (ACLs disabled)'));
  }
  return judge(findings, seen);
};
