import { CONTRACT_EVENT_AUDIT_LOG, TERRAFORM_RUN_RECORDS } from '../../commitments';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule, TfResource } from '../types';
import { asList, block, blocks, referencedAddress } from '../view';

const TRAIL = 'aws_cloudtrail';

/**
 * 12.4.3: besides the operator work on the gateway (OperatorWorkIsLogged), every Terraform run on
 * the tenant's equipment leaves a record. A run reads, locks and writes the tenant's state in the
 * fleet's state bucket: the fleet stack that makes that bucket must have a trail recording the
 * bucket's object-level calls (read and write), with log file validation, into a bucket kept
 * TERRAFORM_RUN_RECORDS.retentionDays under its prefix. The evidence names the fleet stack's
 * resources (`fleet_<region>: address`) and where the contract-event audit log lives.
 */
export const TerraformRunsAreRecorded: Rule = ({ tenant }) => {
  const bucket = block(block(tenant.tf.terraform?.backend)?.s3)?.bucket;
  if (typeof bucket !== 'string') return judge([finding('terraform.backend', 's3.bucket', bucket, "an S3 backend in the fleet's state bucket")], []);
  const fleet = tenant.stateBackendStack;
  if (fleet === undefined) {
    return judge([finding('terraform.backend.s3', 'bucket', bucket, 'a fleet stack in the output that makes this bucket and records its runs (ras synth of the whole fleet writes it)')], []);
  }
  const at = (address: string): string => `${fleet.id}: ${address}`;
  const findings: Finding[] = [];
  const seen: Evidence[] = [evidence('terraform.backend.s3', 'bucket', bucket)];
  const objects = `arn:aws:s3:::${bucket}/`;
  const recordsState = (t: TfResource): boolean =>
    blocks(t.config.event_selector).some(
      (s) => (s.read_write_type ?? 'All') === 'All' && blocks(s.data_resource).some((d) => d.type === 'AWS::S3::Object' && asList(d.values).some((v) => v === objects || v === 'arn:aws:s3')),
    );
  const trails = fleet.resources.filter((r) => r.type === TRAIL);
  const trail = trails.find(recordsState);
  if (trail === undefined) {
    findings.push(finding(at(TRAIL), 'event_selector.data_resource', trails.length === 0 ? 'no trail' : 'no trail recording this bucket', `a trail recording every read and write of ${objects}*`));
    return judge(findings, seen);
  }
  seen.push(evidence(at(trail.address), 'event_selector.data_resource.values', objects));
  if (trail.config.enable_logging === false) findings.push(finding(at(trail.address), 'enable_logging', false, 'true'));
  if (trail.config.enable_log_file_validation === true) seen.push(evidence(at(trail.address), 'enable_log_file_validation', true));
  else findings.push(finding(at(trail.address), 'enable_log_file_validation', trail.config.enable_log_file_validation, 'true (digest files show a record altered or deleted)'));
  const prefix = trail.config.s3_key_prefix;
  if (prefix === TERRAFORM_RUN_RECORDS.prefix) seen.push(evidence(at(trail.address), 's3_key_prefix', prefix));
  else findings.push(finding(at(trail.address), 's3_key_prefix', prefix, TERRAFORM_RUN_RECORDS.prefix));

  // Kept: the records bucket expires the prefix after the stated days, no sooner.
  const records = referencedAddress(trail.config.s3_bucket_name);
  const recordsBucket = fleet.resources.find((r) => r.address === records);
  if (recordsBucket === undefined) {
    findings.push(finding(at(trail.address), 's3_bucket_name', trail.config.s3_bucket_name, 'a bucket made by the same fleet stack'));
    return judge(findings, seen);
  }
  seen.push(evidence(at(recordsBucket.address), 'bucket', recordsBucket.config.bucket));
  const rules = fleet.resources
    .filter((r) => r.type === 'aws_s3_bucket_lifecycle_configuration' && referencedAddress(r.config.bucket) === records)
    .flatMap((r) => blocks(r.config.rule).map((rule, i) => ({ address: r.address, path: `rule[${i}]`, rule })))
    .filter(({ rule }) => rule.status === 'Enabled');
  const kept = rules.find(({ rule }) => blocks(rule.filter).some((f) => f.prefix === `${TERRAFORM_RUN_RECORDS.prefix}/`));
  const days = block(kept?.rule.expiration)?.days;
  const sooner = rules.filter(({ rule }) => {
    const d = block(rule.expiration)?.days;
    const p = blocks(rule.filter)[0]?.prefix ?? '';
    return typeof d === 'number' && d < TERRAFORM_RUN_RECORDS.retentionDays && `${TERRAFORM_RUN_RECORDS.prefix}/`.startsWith(String(p));
  });
  if (kept !== undefined && days === TERRAFORM_RUN_RECORDS.retentionDays && sooner.length === 0) {
    seen.push(evidence(at(kept.address), `${kept.path}.expiration.days (prefix ${TERRAFORM_RUN_RECORDS.prefix}/)`, days));
  } else {
    const where = sooner[0] ?? kept;
    findings.push(
      finding(
        at(where?.address ?? 'aws_s3_bucket_lifecycle_configuration'),
        `${where?.path ?? 'rule'}.expiration.days`,
        where === undefined ? undefined : block(where.rule.expiration)?.days,
        `${TERRAFORM_RUN_RECORDS.retentionDays} (the run records under ${TERRAFORM_RUN_RECORDS.prefix}/)`,
      ),
    );
  }
  // The other provider-side record of changes: the contract events that drove them.
  seen.push(evidence('contract host', CONTRACT_EVENT_AUDIT_LOG, 'append-only audit log of contract events, one line per event received, never rotated or truncated by ras'));
  return judge(findings, seen);
};
