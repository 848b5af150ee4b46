import { LogArchive } from '../../constructs/log-archive';
import { TenantKey } from '../../constructs/tenant-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { only, resources, synthConstructs } from '../helpers/synth';
import type { TerraformStack } from 'cdktf';

const retention = [
  { id: 'vpn-connection-retention', prefix: 'logs/vpn-connection/', expireAfterDays: 90 },
  { id: 'combined-download-retention', prefix: 'download/combined/', expireAfterDays: 30 },
  { id: 'flow-logs-retention', prefix: 'provider/flow-logs/', expireAfterDays: 90 },
];

function archive(stack: TerraformStack, extra: Partial<ConstructorParameters<typeof LogArchive>[2]> = {}): LogArchive {
  const key = new TenantKey(stack, 'Key', { alias: 'test/t', accountId: '111122223333' });
  return new LogArchive(stack, 'Archive', {
    bucketName: 'test-t-logs',
    encryptionKey: key,
    accountId: '111122223333',
    retention,
    flowLogPrefix: 'provider/flow-logs/',
    ...extra,
  });
}

test('secure by default: KMS, versioning, public access blocked, ACLs disabled, TLS only, protected from destroy', () => {
  const { json } = synthConstructs((s) => archive(s));
  const bucket = only(json, 'aws_s3_bucket');
  expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
  expect(bucket.force_destroy).toBe(false);
  const sse = only(json, 'aws_s3_bucket_server_side_encryption_configuration');
  expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_\w+\.arn\}$/) });
  expect(only(json, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
  expect(only(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(only(json, 'aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
  const policy = JSON.parse(only(json, 'aws_s3_bucket_policy').policy);
  expect(policy.Statement).toContainEqual(
    expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } } }),
  );
});

test('lifecycle: each prefix expires after its days, noncurrent versions after 1 day, uploads aborted', () => {
  const { json } = synthConstructs((s) => archive(s));
  const rules = only(json, 'aws_s3_bucket_lifecycle_configuration').rule as any[];
  for (const r of retention) {
    expect(rules).toContainEqual(
      expect.objectContaining({
        id: r.id,
        status: 'Enabled',
        filter: [{ prefix: r.prefix }],
        expiration: [{ days: r.expireAfterDays }],
        noncurrent_version_expiration: [{ noncurrent_days: 1 }],
      }),
    );
  }
  expect(rules).toContainEqual(expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] }));
  expect(rules.map((r) => r.id)).not.toContain('erase-after-termination');
});

test('a terminated tenant: every object (noncurrent too) expires from the given date, and destroy is allowed', () => {
  const { json } = synthConstructs((s) => archive(s, { eraseAllFrom: '2026-12-25', protectFromDestroy: false }));
  const rules = only(json, 'aws_s3_bucket_lifecycle_configuration').rule as any[];
  expect(rules).toContainEqual({
    id: 'erase-after-termination',
    status: 'Enabled',
    filter: [{ prefix: '' }],
    expiration: [{ date: '2026-12-25T00:00:00Z' }],
    noncurrent_version_expiration: [{ noncurrent_days: 1 }],
  });
  const bucket = only(json, 'aws_s3_bucket');
  expect(bucket.lifecycle).toEqual({ prevent_destroy: false });
  expect(bucket.force_destroy).toBe(true);
});

test('grantWrite allows PutObject on the given prefixes only, and encryption with the tenant key', () => {
  const { json } = synthConstructs((s) => {
    const a = archive(s);
    const role = new IamRole(s, 'Role', { assumeRolePolicy: '{}' });
    a.grantWrite('Write', role, ['logs/vpn-connection/', 'download/combined/']);
  });
  const policy = JSON.parse(only(json, 'aws_iam_role_policy').policy);
  const actions = policy.Statement.flatMap((st: any) => [st.Action].flat());
  expect(actions.sort()).toEqual(['kms:Encrypt', 'kms:GenerateDataKey', 's3:PutObject']);
  expect(policy.Statement[0].Resource).toEqual([
    expect.stringMatching(/^\$\{aws_s3_bucket\.Archive_Bucket_\w+\.arn\}\/logs\/vpn-connection\/\*$/),
    expect.stringMatching(/^\$\{aws_s3_bucket\.Archive_Bucket_\w+\.arn\}\/download\/combined\/\*$/),
  ]);
});

test('flow logs need a retention rule for their prefix', () => {
  expect(() => synthConstructs((s) => archive(s, { flowLogPrefix: 'elsewhere/' }))).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ code: 'CP111', field: 'flowLogPrefix' })] }));
});

test('the archive owns the flow log destination: its flow log prefix, the one its policy lets log delivery write', () => {
  let destination = '';
  const { json } = synthConstructs((s) => {
    destination = archive(s).flowLogDestination();
  });
  expect(destination.endsWith('/provider/flow-logs/')).toBe(true);
  const policy = JSON.parse(only(json, 'aws_s3_bucket_policy').policy);
  const write = policy.Statement.find((st: any) => st.Sid === 'FlowLogDeliveryWrite');
  expect(write.Resource).toMatch(/^\$\{aws_s3_bucket\.Archive_Bucket_\w+\.arn\}\/provider\/flow-logs\/\*$/);
});

test('the tenant key rotates, is protected, and lets only this account deliver flow logs', () => {
  const { json } = synthConstructs((s) => new TenantKey(s, 'Key', { alias: 'test/t', accountId: '111122223333' }));
  const key = only(json, 'aws_kms_key');
  expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 7, lifecycle: { prevent_destroy: true } });
  const policy = JSON.parse(key.policy);
  expect(policy.Statement.find((s: any) => s.Sid === 'FlowLogDelivery').Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
  expect(resources(json, 'aws_kms_alias')[0].name).toBe('alias/test/t');
});
