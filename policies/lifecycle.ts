/** S3 lifecycle rules of the stack's buckets, in one shape, for the retention and erasure rules. */
import type { TenantView } from './types';
import { block, blocks, ofType, referencedAddress } from './view';

export interface LifecycleRule {
  /** The aws_s3_bucket_lifecycle_configuration holding it. */
  readonly resource: string;
  readonly path: string;
  /** Address of the bucket the configuration applies to (undefined when it is not a reference into this stack). */
  readonly bucket?: string;
  readonly id: string;
  readonly enabled: boolean;
  /** Key prefix filtered on; '' for the whole bucket; undefined when the filter is not a plain prefix. */
  readonly prefix?: string;
  readonly expirationDays?: unknown;
  readonly expirationDate?: unknown;
  readonly noncurrentDays?: unknown;
}

export function lifecycleRules(tenant: TenantView): LifecycleRule[] {
  return ofType(tenant, 'aws_s3_bucket_lifecycle_configuration').flatMap((r) =>
    blocks(r.config.rule).map((rule, i) => {
      const filter = blocks(rule.filter);
      const prefix =
        filter.length === 0 ? (typeof rule.prefix === 'string' ? rule.prefix : '') : filter.length === 1 && Object.keys(filter[0]).every((k) => k === 'prefix') ? String(filter[0].prefix ?? '') : undefined;
      const expiration = block(rule.expiration);
      return {
        resource: r.address,
        path: `rule[${i}]`,
        bucket: referencedAddress(r.config.bucket),
        id: String(rule.id ?? ''),
        enabled: rule.status === 'Enabled',
        prefix,
        expirationDays: expiration?.days,
        expirationDate: expiration?.date,
        noncurrentDays: block(rule.noncurrent_version_expiration)?.noncurrent_days,
      };
    }),
  );
}
