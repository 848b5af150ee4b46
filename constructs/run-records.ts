import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Construct } from 'constructs';
import { TERRAFORM_RUN_RECORDS } from '../commitments';
import { denyInsecureTransport, policyDocument } from './policy-document';
import { providerBucket } from './provider-bucket';
import type { TenantKey } from './tenant-key';
import { PropsCheck } from './validate';

export interface RunRecordsProps {
  /** Name of the records bucket (the state bucket's name with `-records`). */
  readonly bucketName: string;
  /** The state bucket whose object-level calls (each Terraform run's read, lock and write) are recorded. */
  readonly stateBucketName: string;
  /** Encrypts the records; CloudTrail must be allowed to use it (the fleet key's policy). */
  readonly encryptionKey: TenantKey;
  readonly trailName: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * 12.4.3: a record of every Terraform run. Each run of any stack reads its state, writes and removes
 * its lock file and writes the new state in the fleet's state bucket; a trail records those
 * object-level calls (principal, time, source address, which state) with digest files (log file
 * validation, so an altered or deleted record shows), into a records bucket of the provider's:
 * versioned, SSE-KMS, public access blocked, TLS only, kept TERRAFORM_RUN_RECORDS.retentionDays,
 * and never destroyed by Terraform.
 */
export class RunRecords extends Construct {
  public readonly bucket: S3Bucket;
  public readonly trail: Cloudtrail;

  constructor(scope: Construct, id: string, props: RunRecordsProps) {
    super(scope, id);
    const check = new PropsCheck('RunRecords', this);
    check.matches('bucketName', props.bucketName, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name');
    check.done();
    this.bucket = providerBucket(this, props.bucketName, props.encryptionKey);
    const bucket = this.bucket.id;
    const trailArn = `arn:aws:cloudtrail:${props.region}:${props.accountId}:trail/${props.trailName}`;
    const prefix = TERRAFORM_RUN_RECORDS.prefix;
    const policy = new S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: policyDocument([
        denyInsecureTransport(this.bucket.arn),
        // CloudTrail's documented bucket policy, limited to this account's one trail.
        {
          Sid: 'TrailReadsAcl',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: this.bucket.arn,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
        {
          Sid: 'TrailWritesRecords',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${this.bucket.arn}/${prefix}/AWSLogs/${props.accountId}/*`,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
      ]),
    });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: [
        {
          id: 'terraform-run-records-retention',
          status: 'Enabled',
          filter: [{ prefix: `${prefix}/` }],
          expiration: [{ days: TERRAFORM_RUN_RECORDS.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
        },
      ],
    });
    this.trail = new Cloudtrail(this, 'Trail', {
      name: props.trailName,
      s3BucketName: bucket,
      s3KeyPrefix: prefix,
      kmsKeyId: props.encryptionKey.arn,
      enableLogFileValidation: true,
      enableLogging: true,
      // What each run changed is recorded too: the management calls of every region (the fleet's
      // stacks apply in both Japan regions) and of the global services (IAM).
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      eventSelector: [
        {
          readWriteType: 'All',
          includeManagementEvents: true,
          dataResource: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${props.stateBucketName}/`] }],
        },
      ],
      dependsOn: [policy],
    });
  }
}
