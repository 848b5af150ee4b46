import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { block } from '../view';

/**
 * 8.3 (12.3.1): every change to the tenant's equipment is applied through its own Terraform
 * state, kept encrypted in the S3 backend and locked while applied, so the equipment can be
 * rebuilt from it. (Operator work logs, 12.4.3, are judged by OperatorWorkIsLogged.)
 */
export const TenantStateInEncryptedLockedBackend: Rule = ({ tenant }) => {
  const s3 = block(block(tenant.tf.terraform?.backend)?.s3);
  if (s3 === undefined) return judge([finding('terraform.backend', 's3', block(tenant.tf.terraform?.backend), 'an S3 backend')], []);
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const at = 'terraform.backend.s3';
  if (s3.encrypt === true) seen.push(evidence(at, 'encrypt', true));
  else findings.push(finding(at, 'encrypt', s3.encrypt, 'true'));
  if (s3.use_lockfile === true) seen.push(evidence(at, 'use_lockfile', true));
  else if (typeof s3.dynamodb_table === 'string') seen.push(evidence(at, 'dynamodb_table', s3.dynamodb_table));
  else findings.push(finding(at, 'use_lockfile', s3.use_lockfile, 'true (or a DynamoDB lock table)'));
  const id = tenant.tags['ras:tenant'] ?? tenant.stackId;
  if (typeof s3.key === 'string' && s3.key.split('/').includes(id)) seen.push(evidence(at, 'key', s3.key));
  else findings.push(finding(at, 'key', s3.key, `a state key of the tenant's own (containing /${id}/)`));
  return judge(findings, seen);
};
