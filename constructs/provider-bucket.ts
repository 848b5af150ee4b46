import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { Construct } from 'constructs';
import type { TenantKey } from './tenant-key';

/**
 * A bucket of the provider's own (the Terraform state, the records of Terraform runs): versioned,
 * SSE-KMS by default with `key`, public access blocked, ACLs disabled, never destroyed by
 * Terraform. Its parts are made in `scope` under the ids both callers always used, so their
 * Terraform addresses stay as they were; each caller adds its own policy and lifecycle.
 */
export function providerBucket(scope: Construct, bucketName: string, key: TenantKey): S3Bucket {
  const made = new S3Bucket(scope, 'Bucket', { bucket: bucketName, lifecycle: { preventDestroy: true } });
  const bucket = made.id;
  new S3BucketVersioningA(scope, 'Versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'Encryption', {
    bucket,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  });
  new S3BucketPublicAccessBlock(scope, 'PublicAccessBlock', { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  new S3BucketOwnershipControls(scope, 'Ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  return made;
}
