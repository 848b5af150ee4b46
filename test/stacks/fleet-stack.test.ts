/**
 * The fleet stack (one per region): what every tenant stack refers to, made by the same app, and
 * planned offline by the real terraform binary like the tenant stacks (test/terraform.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { FleetStack } from '../../stacks/fleet-stack';
import { synthTenants } from '../../stacks/synth';
import { stackIds } from '../../output/read';
import { EXAMPLES, exampleFleet, only, resources, type TfJson } from '../helpers/synth';
import { findTerraform, prepareOffline, terraform } from '../helpers/terraform';

const fleet = exampleFleet();

function synthFleet(region: string): TfJson {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new FleetStack(app, { fleet: fleet.settings, region }), true)) as TfJson;
}

const primary = synthFleet('ap-northeast-1');
const secondary = synthFleet('ap-northeast-3');

test('the transit gateway leaves every attachment out of a default route table', () => {
  expect(only(primary, 'aws_ec2_transit_gateway')).toMatchObject({
    default_route_table_association: 'disable',
    default_route_table_propagation: 'disable',
    auto_accept_shared_attachments: 'disable',
  });
  const attachments = resources(primary, 'aws_ec2_transit_gateway_vpc_attachment');
  expect(attachments).toHaveLength(2);
  for (const a of attachments) expect(a).toMatchObject({ transit_gateway_default_route_table_association: false, transit_gateway_default_route_table_propagation: false });
  expect(resources(primary, 'aws_vpc').map((v) => v.cidr_block).sort()).toEqual(['10.253.0.0/24', '10.255.0.0/24']);
});

/** The resource of `type` belonging to the construct `prefix` (StateBucket, RunRecords). */
function of(json: TfJson, type: string, prefix: string): Record<string, any> {
  const found = Object.entries(json.resource?.[type] ?? {}).filter(([name]) => name.startsWith(`${prefix}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} of ${prefix}, found ${found.length}`);
  return found[0][1] as Record<string, any>;
}

test('the state bucket (only in the state backend region): versioned, KMS, TLS only, public access blocked, never destroyed', () => {
  expect(of(primary, 'aws_s3_bucket', 'StateBucket')).toMatchObject({ bucket: 'ras-prod-terraform-state', lifecycle: { prevent_destroy: true } });
  expect(of(primary, 'aws_s3_bucket_versioning', 'StateBucket').versioning_configuration).toEqual({ status: 'Enabled' });
  expect(of(primary, 'aws_s3_bucket_server_side_encryption_configuration', 'StateBucket').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
  expect(of(primary, 'aws_s3_bucket_public_access_block', 'StateBucket')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  const policy = JSON.parse(of(primary, 'aws_s3_bucket_policy', 'StateBucket').policy);
  expect(policy.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } })]);
  expect(secondary.resource.aws_s3_bucket).toBeUndefined();
});

test('every Terraform run is recorded (12.4.3): a trail of the state bucket\'s reads and writes, with digest files, into a records bucket kept 400 days', () => {
  const trail = only(primary, 'aws_cloudtrail');
  expect(trail).toMatchObject({
    name: 'ras-prod-terraform-runs',
    s3_key_prefix: 'provider/terraform-runs',
    enable_log_file_validation: true,
    enable_logging: true,
    is_multi_region_trail: true,
    kms_key_id: expect.stringContaining('aws_kms_key.'),
    event_selector: [{ read_write_type: 'All', include_management_events: true, data_resource: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::ras-prod-terraform-state/'] }] }],
  });
  expect(of(primary, 'aws_s3_bucket', 'RunRecords')).toMatchObject({ bucket: 'ras-prod-terraform-state-records', lifecycle: { prevent_destroy: true } });
  expect(of(primary, 'aws_s3_bucket_public_access_block', 'RunRecords')).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
  expect(of(primary, 'aws_s3_bucket_lifecycle_configuration', 'RunRecords').rule).toEqual([
    expect.objectContaining({ status: 'Enabled', filter: [{ prefix: 'provider/terraform-runs/' }], expiration: [{ days: 400 }] }),
  ]);
  // Only this account's one trail may write, and only under its prefix; nothing over plain HTTP.
  const policy = JSON.parse(of(primary, 'aws_s3_bucket_policy', 'RunRecords').policy);
  expect(policy.Statement.map((x: { Sid: string }) => x.Sid)).toEqual(['DenyInsecureTransport', 'TrailReadsAcl', 'TrailWritesRecords']);
  expect(policy.Statement[2].Condition.StringEquals['aws:SourceArn']).toBe('arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/ras-prod-terraform-runs');
  const key = JSON.parse(only(primary, 'aws_kms_key').policy);
  expect(key.Statement.map((x: { Sid: string }) => x.Sid)).toContain('TrailEncryptsRunRecords');
  expect(secondary.resource.aws_cloudtrail).toBeUndefined();
});

test('the operations topic is encrypted with the fleet key, which CloudWatch alarms may use', () => {
  expect(only(primary, 'aws_sns_topic')).toMatchObject({ name: 'ras-prod-operations', kms_master_key_id: expect.stringContaining('aws_kms_key.') });
  const key = JSON.parse(only(primary, 'aws_kms_key').policy);
  expect(key.Statement.map((s: { Sid: string }) => s.Sid)).toContain('AlarmsPublishEncrypted');
  expect(only(primary, 'aws_kms_key').enable_key_rotation).toBe(true);
});

test('outputs are named as fleet.yaml region fields, so `terraform output -json` is the recorded file', () => {
  expect(Object.keys(primary.output ?? {}).sort()).toEqual(['backboneAttachmentId', 'fleetKeyArn', 'operationsAttachmentId', 'operationsTopicArn', 'stateBucketArn', 'transitGatewayId']);
  expect(primary.terraform.backend.s3).toMatchObject({ bucket: 'ras-prod-terraform-state', key: 'fleet/ap-northeast-1/terraform.tfstate', use_lockfile: true });
  expect(primary).not.toHaveProperty('data');
});

test('the app synthesizes the fleet stacks beside the tenants; readers of tenant stacks do not see them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ras-fleet-'));
  try {
    synthTenants({ paths: EXAMPLES, outdir: join(dir, 'out') });
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).filter((s) => s.startsWith('fleet_')).sort()).toEqual(['fleet_ap-northeast-1', 'fleet_ap-northeast-3']);
    expect(stackIds(join(dir, 'out'))?.ids).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const found = findTerraform();
if ('missing' in found) {
  const line = `SKIPPED: ${found.missing}; the fleet stack's terraform validate/plan did not run`;
  process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
}
(('missing' in found) ? test.skip : test)('terraform validates and plans the fleet stack offline', async () => {
  const tf = found as Exclude<typeof found, { missing: string }>;
  const dir = mkdtempSync(join(tmpdir(), 'ras-fleet-tf-'));
  try {
    synthTenants({ paths: EXAMPLES, outdir: join(dir, 'out') });
    const work = prepareOffline(join(dir, 'out', 'stacks', 'fleet_ap-northeast-1', 'cdk.tf.json'), tf);
    expect((await terraform(tf, work, ['init', '-input=false', '-no-color'])).exitCode).toBe(0);
    expect(JSON.parse((await terraform(tf, work, ['validate', '-json', '-no-color'])).stdout)).toMatchObject({ valid: true, diagnostics: [] });
    const plan = await terraform(tf, work, ['plan', '-input=false', '-no-color', '-out=plan.bin']);
    expect(plan.stderr).toBe('');
    const doc = JSON.parse((await terraform(tf, work, ['show', '-json', 'plan.bin'])).stdout);
    const types = doc.resource_changes.map((c: { type: string }) => c.type);
    expect(types).toEqual(expect.arrayContaining(['aws_ec2_transit_gateway', 'aws_sns_topic', 'aws_s3_bucket', 'aws_ec2_transit_gateway_vpc_attachment']));
    for (const c of doc.resource_changes) expect(c.change.actions).toEqual(['create']);
    rmSync(work, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
