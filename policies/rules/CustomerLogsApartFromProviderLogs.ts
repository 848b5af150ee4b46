import { COMBINED_DOWNLOAD_PREFIX, FLOW_LOG_PREFIX, LOG_STREAMS, OPERATOR_WORK_STREAM } from '../../commitments';
import { evidence, finding, judge, notApplicable } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { asList, ofType, policyStatements, tenantStatus } from '../view';

const CUSTOMER_PREFIXES = [...LOG_STREAMS.map((s) => s.prefix), COMBINED_DOWNLOAD_PREFIX];
const GATEWAY_PREFIXES = [...CUSTOMER_PREFIXES, OPERATOR_WORK_STREAM.prefix];

/**
 * 4.1: the customer's logs and the provider's operating information are kept apart. The
 * gateway may write only under the customer log prefixes and the provider's operator-work
 * prefix (its own stream, 12.4.3), and VPC flow logs (provider information) go only under the
 * provider prefix.
 */
export const CustomerLogsApartFromProviderLogs: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  for (const log of ofType(tenant, 'aws_flow_log')) {
    const dest = log.config.log_destination;
    if (typeof dest === 'string' && dest.endsWith(`/${FLOW_LOG_PREFIX}`)) seen.push(evidence(log.address, 'log_destination', dest));
    else findings.push(finding(log.address, 'log_destination', dest, `the archive's provider prefix ${FLOW_LOG_PREFIX}`));
  }
  let writers = 0;
  for (const policy of ofType(tenant, 'aws_iam_role_policy')) {
    const statements = policyStatements(policy.config.policy);
    if (statements === undefined) {
      findings.push(finding(policy.address, 'policy', policy.config.policy, 'a literal JSON policy document'));
      continue;
    }
    statements.forEach((s, i) => {
      if (s.Effect !== 'Allow' || !asList(s.Action).some((a) => a === 's3:PutObject' || a === 's3:*' || a === '*')) return;
      writers++;
      asList(s.Resource).forEach((res, j) => {
        const path = `policy.Statement[${i}].Resource[${j}]`;
        const allowed = typeof res === 'string' && GATEWAY_PREFIXES.some((p) => res.endsWith(`/${p}*`));
        if (allowed) seen.push(evidence(policy.address, path, res));
        else findings.push(finding(policy.address, path, res, `only customer log prefixes (${CUSTOMER_PREFIXES.join(', ')}) and the operator-work prefix ${OPERATOR_WORK_STREAM.prefix}`));
      });
    });
  }
  const status = tenantStatus(tenant);
  if ('finding' in status) findings.push(status.finding);
  else if (status.status === 'active' && writers === 0) findings.push(finding('aws_iam_role_policy', '', undefined, 'a gateway policy writing the customer log prefixes'));
  else if (status.status === 'terminated' && findings.length === 0 && seen.length === 0) return notApplicable('terminated tenant: no log writers remain');
  return judge(findings, seen);
};
