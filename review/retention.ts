/**
 * The log archive's lifecycle rules as retention promises (12.4.1: 90 days searchable, 30 days
 * of combined downloads; CLD8.1.5: erased within 45 days of termination), compared rule by rule.
 */
import { COMBINED_DOWNLOAD_PREFIX, COMBINED_DOWNLOAD_RETENTION_DAYS, FLOW_LOG_PREFIX, FLOW_LOG_RETENTION_DAYS, LOG_SEARCH_RETENTION_DAYS, LOG_STREAMS } from '../commitments';
import { resourcesOf } from './resources';
import type { StackConfig } from './types';

export interface RetentionRule {
  readonly address: string;
  readonly index: number;
  readonly id: string;
  readonly enabled: boolean;
  readonly prefix?: string;
  readonly days?: number;
  readonly date?: string;
  readonly noncurrentDays?: number;
}

/** Days the whitepaper promises for objects under a prefix. */
export function promisedDays(prefix: string | undefined): number | undefined {
  if (prefix === undefined) return undefined;
  if (LOG_STREAMS.some((s) => s.prefix === prefix)) return LOG_SEARCH_RETENTION_DAYS;
  if (prefix === COMBINED_DOWNLOAD_PREFIX) return COMBINED_DOWNLOAD_RETENTION_DAYS;
  if (prefix === FLOW_LOG_PREFIX) return FLOW_LOG_RETENTION_DAYS;
  return undefined;
}

/**
 * The customer's name for the logs under a prefix whose retention is promised to them (the
 * searchable streams, the combined download), for change notices; undefined for the provider's own
 * (flow logs), which no notice talks about.
 */
export function promisedLogName(prefix: string | undefined): { readonly ja: string; readonly en: string } | undefined {
  const stream = LOG_STREAMS.find((s) => s.prefix === prefix);
  if (stream !== undefined) return { ja: stream.titleJa, en: stream.titleEn };
  if (prefix === COMBINED_DOWNLOAD_PREFIX) return { ja: 'ログの一括ダウンロード（3種の結合ファイル）', en: 'Combined log download' };
  return undefined;
}

/** cdktf writes nested blocks as one-element lists; plans and hand-written JSON may not. */
function first(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

export function retentionRules(config: StackConfig | undefined): Map<string, RetentionRule> {
  const out = new Map<string, RetentionRule>();
  for (const r of resourcesOf(config).values()) {
    if (r.type !== 'aws_s3_bucket_lifecycle_configuration' || !Array.isArray(r.body.rule)) continue;
    r.body.rule.forEach((rule: Record<string, unknown>, index: number) => {
      const id = String(rule.id ?? `#${index}`);
      const filter = first(rule.filter);
      const expiration = first(rule.expiration);
      const noncurrent = first(rule.noncurrent_version_expiration);
      out.set(id, {
        address: r.address,
        index,
        id,
        enabled: rule.status !== 'Disabled',
        prefix: (filter?.prefix ?? rule.prefix) as string | undefined,
        days: expiration?.days as number | undefined,
        date: expiration?.date as string | undefined,
        noncurrentDays: noncurrent?.noncurrent_days as number | undefined,
      });
    });
  }
  return out;
}

/**
 * Pairs base rules with head rules: by id, else (an id that encodes its days, `vpn-connection-90d`,
 * changes with them) by the same prefix among the rules left over.
 */
export function pairRules(before: Map<string, RetentionRule>, after: Map<string, RetentionRule>): [RetentionRule, RetentionRule | undefined][] {
  const used = new Set<string>();
  const pairs: [RetentionRule, RetentionRule | undefined][] = [];
  for (const id of before.keys()) if (after.has(id)) used.add(id);
  for (const [id, b] of before) {
    let a = after.get(id);
    if (a === undefined) {
      const candidates = [...after.values()].filter((r) => !used.has(r.id) && !before.has(r.id) && r.prefix === b.prefix && (r.date !== undefined) === (b.date !== undefined));
      if (candidates.length === 1) a = candidates[0];
    }
    if (a !== undefined) used.add(a.id);
    pairs.push([b, a]);
  }
  return pairs;
}
