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

test('the state bucket (only in the state backend region): versioned, KMS, TLS only, public access blocked, never destroyed', () => {
  expect(only(primary, 'aws_s3_bucket')).toMatchObject({ bucket: 'ras-prod-terraform-state', lifecycle: { prevent_destroy: true } });
  expect(only(primary, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  expect(only(primary, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
  expect(only(primary, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  const policy = JSON.parse(only(primary, 'aws_s3_bucket_policy').policy);
  expect(policy.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } })]);
  expect(secondary.resource.aws_s3_bucket).toBeUndefined();
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
    expect(stackIds(join(dir, 'out'))?.ids).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading']);
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
