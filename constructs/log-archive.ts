import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { denyInsecureTransport, policyDocument } from './policy-document';
import type { TenantKey } from './tenant-key';
import { PropsCheck } from './validate';

/** Objects under one key prefix that expire a fixed number of days after they were written. */
export interface RetainedPrefix {
  /** Lifecycle rule id; stable, it names the rule in plans and reports (lower-case letters, digits, '.', '-'). */
  readonly id: string;
  /** Key prefix ending in `/`. */
  readonly prefix: string;
  /** Whole days an object lives after it was written (1 or more). */
  readonly expireAfterDays: number;
}

/** Lifecycle rule ids the archive adds itself; a retention rule cannot take them. */
const OWN_RULE_IDS = ['abort-incomplete-uploads', 'remove-expired-delete-markers', 'erase-after-termination'];

export interface LogArchiveProps {
  /** Globally unique bucket name (S3 naming rules). */
  readonly bucketName: string;
  /** Tenant key that encrypts every object (SSE-KMS). */
  readonly encryptionKey: TenantKey;
  /** Account (12 digits) whose VPC flow logs may be delivered into the bucket. */
  readonly accountId: string;
  /** Prefixes and how long their objects live (the three log streams, the combined downloads, flow logs). */
  readonly retention: readonly RetainedPrefix[];
  /**
   * Prefix VPC flow logs are delivered under (must be one of `retention`). Networks get their
   * destination from `flowLogDestination()`, so this is the prefix's only definition.
   */
  readonly flowLogPrefix: string;
  /**
   * Calendar date (YYYY-MM-DD) from which every object, noncurrent versions included, is expired:
   * set for a terminated tenant so all data is gone by the erasure deadline.
   * @default - no erase-everything rule (active tenant)
   */
  readonly eraseAllFrom?: string;
  /**
   * Keep Terraform from destroying the bucket (and refuse to delete a non-empty one).
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * Days after which a noncurrent object version is removed. Versioning keeps overwritten or
   * deleted log objects recoverable for this long, no longer.
   * @default 1
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * The tenant's log archive (8.4 / 12.4.1, 18.1.3): a versioned, KMS-encrypted, private bucket,
 * TLS-only, ACLs disabled, whose lifecycle rules are the retention promises.
 */
export class LogArchive extends Construct {
  public readonly bucket: S3Bucket;
  private readonly key: TenantKey;
  private readonly flowLogPrefix: string;
  private readonly retainedPrefixes: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    validateProps(this, props);
    this.flowLogPrefix = props.flowLogPrefix;
    this.retainedPrefixes = new Set(props.retention.map((r) => r.prefix));
    const protect = props.protectFromDestroy ?? true;
    this.key = props.encryptionKey;
    this.bucket = new S3Bucket(this, 'Bucket', {
      bucket: props.bucketName,
      // Only an unprotected (terminated, erased) archive may be emptied by a destroy.
      forceDestroy: !protect,
      lifecycle: { preventDestroy: protect },
    });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'OwnershipControls', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
    });
    const versioning = new S3BucketVersioningA(this, 'Versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: policyDocument([
        denyInsecureTransport(this.bucket.arn),
        {
          Sid: 'FlowLogDeliveryWrite',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${this.bucket.arn}/${this.flowLogPrefix}*`,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
        {
          Sid: 'FlowLogDeliveryCheck',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['s3:GetBucketAcl', 's3:ListBucket'],
          Resource: this.bucket.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: lifecycleRules(props),
      dependsOn: [versioning],
    });
  }

  /**
   * ARN of the destination for VPC flow logs: the archive's flow log prefix, the only one its
   * bucket policy lets the log delivery service write to.
   */
  public flowLogDestination(): string {
    return `${this.bucket.arn}/${this.flowLogPrefix}`;
  }

  /** Reports (as CP111) each of `prefixes` that has no retention rule in this archive. */
  public checkRetained(check: PropsCheck, field: (index: number) => string, prefixes: readonly string[]): void {
    prefixes.forEach((p, i) => {
      if (!this.retainedPrefixes.has(p)) check.add('CP111', field(i), p, 'has no retention rule', `one of the archive's retention prefixes: ${[...this.retainedPrefixes].join(', ')}`);
    });
  }

  /**
   * Lets `role` write (and only write) objects under `prefixes`, encrypted with the tenant key.
   * It cannot read, list, delete or touch any other prefix. Each prefix must have a retention
   * rule, so nothing written there outlives its promise.
   */
  public grantWrite(id: string, role: IamRole, prefixes: readonly string[]): IamRolePolicy {
    const check = new PropsCheck('LogArchive.grantWrite', this);
    this.checkRetained(check, (i) => `prefixes[${i}]`, prefixes);
    check.done();
    return new IamRolePolicy(this, id, {
      name: 'write-log-prefixes',
      role: role.id,
      policy: policyDocument([
        { Sid: 'WriteOwnLogPrefixes', Effect: 'Allow', Action: 's3:PutObject', Resource: prefixes.map((p) => `${this.bucket.arn}/${p}*`) },
        { Sid: 'EncryptWithTenantKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: this.key.arn },
      ]),
    });
  }
}

function validateProps(archive: LogArchive, props: LogArchiveProps): void {
  const check = new PropsCheck('LogArchive', archive);
  check.bucketName('bucketName', props.bucketName);
  check.matches('accountId', props.accountId, /^\d{12}$/, 'an AWS account id, 12 digits');
  props.retention.forEach((r, i) => {
    check.stableName(`retention[${i}].id`, r.id);
    if (OWN_RULE_IDS.includes(r.id)) check.add('CP112', `retention[${i}].id`, r.id, 'is a rule id the archive uses itself', `any id but ${OWN_RULE_IDS.join(', ')}`);
    check.keyPrefix(`retention[${i}].prefix`, r.prefix);
    check.days(`retention[${i}].expireAfterDays`, r.expireAfterDays);
  });
  check.unique(props.retention, (i) => `retention[${i}].id`, (r) => r.id, 'rule id');
  check.unique(props.retention, (i) => `retention[${i}].prefix`, (r) => r.prefix, 'prefix');
  if (!props.retention.some((r) => r.prefix === props.flowLogPrefix)) {
    check.add('CP111', 'flowLogPrefix', props.flowLogPrefix, 'has no retention rule', 'one of the retention prefixes');
  }
  check.calendarDate('eraseAllFrom', props.eraseAllFrom);
  check.days('noncurrentVersionDays', props.noncurrentVersionDays);
  check.done();
}

function lifecycleRules(props: LogArchiveProps): S3BucketLifecycleConfigurationRule[] {
  const noncurrentDays = props.noncurrentVersionDays ?? 1;
  const rules: S3BucketLifecycleConfigurationRule[] = props.retention.map((r) => ({
    id: r.id,
    status: 'Enabled',
    filter: [{ prefix: r.prefix }],
    expiration: [{ days: r.expireAfterDays }],
    noncurrentVersionExpiration: [{ noncurrentDays }],
  }));
  rules.push({
    id: 'abort-incomplete-uploads',
    status: 'Enabled',
    filter: [{ prefix: '' }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
  });
  rules.push({
    // With versioning, expiring an object leaves a delete marker; remove those once alone.
    id: 'remove-expired-delete-markers',
    status: 'Enabled',
    filter: [{ prefix: '' }],
    expiration: [{ expiredObjectDeleteMarker: true }],
  });
  if (props.eraseAllFrom !== undefined) {
    rules.push({
      id: 'erase-after-termination',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      expiration: [{ date: `${props.eraseAllFrom}T00:00:00Z` }],
      noncurrentVersionExpiration: [{ noncurrentDays }],
    });
  }
  return rules;
}
