import { evidence, finding, judge, notApplicable } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { asList, isReference, ofType, policyStatements, tenantStatus } from '../view';

/** What the gateway needs from AWS: write its log objects, encrypted with the tenant key. */
export const GATEWAY_ACTIONS = ['s3:PutObject', 'kms:GenerateDataKey', 'kms:Encrypt'];

const ATTACHMENTS = ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_role_policies_exclusive', 'aws_iam_role_policy_attachments_exclusive'];

/**
 * 5.5 / 9.4.1: the service grants only the rights it needs. Every role's inline policy allows
 * only the gateway's actions on named resources (no wildcards), and no managed policy is attached.
 */
export const GatewayRoleOnlyWritesOwnLogs: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const policies = [...ofType(tenant, 'aws_iam_role_policy'), ...ofType(tenant, 'aws_iam_policy')];
  for (const p of policies) {
    const statements = policyStatements(p.config.policy);
    if (statements === undefined) {
      findings.push(finding(p.address, 'policy', p.config.policy, 'a literal JSON policy document'));
      continue;
    }
    statements.forEach((s, i) => {
      if (s.Effect !== 'Allow') return;
      for (const action of asList(s.Action)) {
        if (typeof action === 'string' && GATEWAY_ACTIONS.includes(action)) seen.push(evidence(p.address, `policy.Statement[${i}].Action`, action));
        else findings.push(finding(p.address, `policy.Statement[${i}].Action`, action, `only ${GATEWAY_ACTIONS.join(', ')}`));
      }
      if (s.NotAction !== undefined) findings.push(finding(p.address, `policy.Statement[${i}].NotAction`, s.NotAction, 'no NotAction in an Allow'));
      asList(s.Resource).forEach((res, j) => {
        if (res === '*' || (typeof res === 'string' && !isReference(res) && res.endsWith(':*'))) {
          findings.push(finding(p.address, `policy.Statement[${i}].Resource[${j}]`, res, 'named resources, not a wildcard'));
        }
      });
    });
  }
  for (const a of tenant.resources.filter((r) => ATTACHMENTS.includes(r.type))) findings.push(finding(a.address, 'policy_arn', a.config.policy_arn, 'no attached managed policy'));
  for (const role of ofType(tenant, 'aws_iam_role')) {
    if (role.config.managed_policy_arns !== undefined) findings.push(finding(role.address, 'managed_policy_arns', role.config.managed_policy_arns, 'no managed policies'));
  }
  const status = tenantStatus(tenant);
  if ('finding' in status) findings.push(status.finding);
  else if (status.status === 'terminated' && policies.length === 0 && findings.length === 0) return notApplicable('terminated tenant: no roles remain');
  else if (status.status === 'active' && policies.length === 0) findings.push(finding('aws_iam_role_policy', '', undefined, "the gateway role's inline policy"));
  return judge(findings, seen);
};
