import { COMBINED_DOWNLOAD_PREFIX, LOG_STREAMS } from '../../commitments';
import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { asList, ofType, policyStatements } from '../view';

/** 8.4 / 12.4.1: the gateway can deliver each of the three log streams and the combined file into the archive. */
export const GatewayWritesEveryLogStream: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const grants: Evidence[] = [];
    for (const p of ofType(tenant, 'aws_iam_role_policy')) {
      (policyStatements(p.config.policy) ?? []).forEach((s, i) => {
        if (s.Effect !== 'Allow' || !asList(s.Action).includes('s3:PutObject')) return;
        for (const r of asList(s.Resource)) if (typeof r === 'string') grants.push(evidence(p.address, `policy.Statement[${i}].Resource`, r));
      });
    }
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const prefix of [...LOG_STREAMS.map((s) => s.prefix), COMBINED_DOWNLOAD_PREFIX]) {
      const g = grants.find((e) => e.value.endsWith(`/${prefix}*`));
      if (g !== undefined) seen.push(g);
      else findings.push(finding('aws_iam_role_policy', 'policy.Statement[].Resource', undefined, `s3:PutObject on the archive's ${prefix}*`));
    }
    return judge(findings, seen);
  });
