/**
 * S3 lifecycle rules of a stack's buckets, in one shape, for everything that judges retention
 * and erasure (the compliance rules, plan review, notices). A rule is enabled when its status is
 * `Enabled`: the AWS provider requires a status, and only `Enabled` applies a rule; anything
 * else (`Disabled`, a typo, a reference, nothing) keeps the objects.
 */
import { block, blocks, referencedAddress, resourcesIn, type TfJson, type TfResource } from './terraform';

export const LIFECYCLE_TYPE = 'aws_s3_bucket_lifecycle_configuration';

export interface LifecycleRule {
  /** The aws_s3_bucket_lifecycle_configuration holding it. */
  readonly resource: string;
  /** Position in the configuration's `rule` list. */
  readonly index: number;
  /** `rule[<index>]`. */
  readonly path: string;
  /** Address of the bucket the configuration applies to (undefined when it is not a reference into this stack). */
  readonly bucket?: string;
  /** The rule's id ('' when it has none). Ids are stable: the days live in the rule, never in its id. */
  readonly id: string;
  readonly enabled: boolean;
  /** Key prefix filtered on; '' for the whole bucket; undefined when the filter is not a plain prefix. */
  readonly prefix?: string;
  readonly expirationDays?: unknown;
  readonly expirationDate?: unknown;
  readonly noncurrentDays?: unknown;
}

export function isEnabled(status: unknown): boolean {
  return status === 'Enabled';
}

/** Every lifecycle rule of the stack, configuration by configuration, rule by rule. */
export function lifecycleRules(source: TfJson | readonly TfResource[] | undefined): LifecycleRule[] {
  const resources = Array.isArray(source) ? (source as readonly TfResource[]) : resourcesIn(source as TfJson | undefined);
  return resources
    .filter((r) => r.type === LIFECYCLE_TYPE)
    .flatMap((r) =>
      blocks(r.config.rule).map((rule, index) => {
        const filter = blocks(rule.filter);
        const prefix =
          filter.length === 0 ? (typeof rule.prefix === 'string' ? rule.prefix : '') : filter.length === 1 && Object.keys(filter[0]).every((k) => k === 'prefix') ? String(filter[0].prefix ?? '') : undefined;
        const expiration = block(rule.expiration);
        return {
          resource: r.address,
          index,
          path: `rule[${index}]`,
          bucket: referencedAddress(r.config.bucket),
          id: String(rule.id ?? ''),
          enabled: isEnabled(rule.status),
          prefix,
          expirationDays: expiration?.days,
          expirationDate: expiration?.date,
          noncurrentDays: block(rule.noncurrent_version_expiration)?.noncurrent_days,
        };
      }),
    );
}
