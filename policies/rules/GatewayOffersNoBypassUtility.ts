import { parse } from 'yaml';
import { absence, finding, judge, notApplicable } from '../results';
import type { Finding, Rule } from '../types';
import { asList, blocks, ofType, policyStatements } from '../view';

/** Ways to reach a gateway other than its hardened, logged management path. */
const BYPASS_RESOURCES = ['aws_ssm_document', 'aws_ssm_association', 'aws_ec2_instance_connect_endpoint', 'aws_ec2_serial_console_access'];
const BYPASS_ACTIONS = /^(ssm|ssmmessages|ec2messages|ec2-instance-connect):/;
const BYPASS_MANAGED_POLICY = /AmazonSSM/;

/**
 * 5.6 / 9.4.4: no utility that bypasses security procedures is offered: no boot-time scripts
 * (user data other than the declarative first-boot cloud-config that creates the operations
 * accounts), no remote-exec provisioners, no Session Manager / Instance Connect / serial console.
 */
export const GatewayOffersNoBypassUtility: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const instances = ofType(tenant, 'aws_instance');
  for (const i of instances) {
    for (const key of ['user_data', 'user_data_base64']) {
      const value = i.config[key];
      if (value !== undefined && value !== null && !(key === 'user_data' && accountsOnly(value))) {
        findings.push(finding(i.address, key, value, 'no user data but a #cloud-config creating the operations accounts (users, ssh settings, sshd_config.d files), no scripts'));
      }
    }
  }
  for (const r of tenant.resources) {
    if (BYPASS_RESOURCES.includes(r.type)) findings.push(finding(r.address, '', 'declared', 'no remote access utility'));
    blocks(r.config.provisioner).forEach((p, i) => {
      if ('remote-exec' in p || p.type === 'remote-exec') findings.push(finding(r.address, `provisioner[${i}]`, 'remote-exec', 'no remote execution on the gateway'));
    });
    if (typeof r.config.policy_arn === 'string' && BYPASS_MANAGED_POLICY.test(r.config.policy_arn)) findings.push(finding(r.address, 'policy_arn', r.config.policy_arn, 'no Session Manager policy'));
    if (r.type === 'aws_iam_role_policy' || r.type === 'aws_iam_policy') {
      (policyStatements(r.config.policy) ?? []).forEach((s, i) =>
        asList(s.Action).forEach((a) => {
          if (s.Effect === 'Allow' && typeof a === 'string' && BYPASS_ACTIONS.test(a)) findings.push(finding(r.address, `policy.Statement[${i}].Action`, a, 'no remote session actions'));
        }),
      );
    }
  }
  // Without a gateway there is nothing to bypass into: a utility declared anyway is still a finding.
  if (instances.length === 0 && findings.length === 0) return notApplicable('no gateway instance in the stack (searched: aws_instance)');
  const policies = tenant.resources.filter((r) => r.type === 'aws_iam_role_policy' || r.type === 'aws_iam_policy' || typeof r.config.policy_arn === 'string');
  return judge(findings, [
    absence(instances.map((i) => i.address), 'user_data, user_data_base64', 'not set, or a #cloud-config that only creates the operations accounts and their sshd settings'),
    absence(BYPASS_RESOURCES, 'resource type of every resource in the stack', `none declared (${tenant.resources.length} resources searched)`),
    absence([`all ${tenant.resources.length} resources`], 'provisioner', 'no remote-exec provisioner'),
    absence(policies.length > 0 ? policies.map((r) => r.address) : ['aws_iam_role_policy', 'aws_iam_policy', 'policy_arn'], 'policy.Statement[*].Action, policy_arn', 'no ssm:*, ssmmessages:*, ec2messages:*, ec2-instance-connect:* action allowed; no AmazonSSM managed policy'),
  ]);
};

/** cloud-config keys that only declare accounts and SSH settings (gateway-config/cloud-init.ts). */
const ACCOUNT_KEYS = new Set(['users', 'disable_root', 'ssh_pwauth', 'write_files']);

/** A `#cloud-config` of accounts and sshd drop-ins only: nothing that runs a command at boot. */
function accountsOnly(userData: unknown): boolean {
  if (typeof userData !== 'string' || !userData.startsWith('#cloud-config\n')) return false;
  let doc: unknown;
  try {
    doc = parse(userData);
  } catch {
    return false;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  if (!Object.keys(doc).every((k) => ACCOUNT_KEYS.has(k))) return false;
  const files = (doc as { write_files?: unknown }).write_files ?? [];
  return Array.isArray(files) && files.every((f) => typeof f?.path === 'string' && /^\/etc\/ssh\/sshd_config\.d\/[A-Za-z0-9_.-]+\.conf$/.test(f.path));
}
