import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Construct } from 'constructs';
import { denyInsecureTransport, policyDocument } from './policy-document';
import { providerBucket } from './provider-bucket';
import type { TenantKey } from './tenant-key';
import { PropsCheck } from './validate';

export interface StateBucketProps {
  /** Bucket name (fleet.yaml `stateBackend.bucket`). */
  readonly bucketName: string;
  /** Key that encrypts every state object by default. */
  readonly encryptionKey: TenantKey;
}

/**
 * The Terraform state bucket of the whole fleet (every tenant's and fleet stack's state, and the
 * S3 lock files): versioned (a broken state can be rolled back), SSE-KMS by default, public
 * access blocked, ACLs disabled, TLS only, and never destroyed by Terraform.
 */
export class StateBucket extends Construct {
  public readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const check = new PropsCheck('StateBucket', this);
    check.matches('bucketName', props.bucketName, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name');
    check.done();
    this.bucket = providerBucket(this, props.bucketName, props.encryptionKey);
    const bucket = this.bucket.id;
    new S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: policyDocument([
        denyInsecureTransport(this.bucket.arn),
      ]),
    });
  }
}
