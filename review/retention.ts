/**
 * The log archive's lifecycle rules as retention promises (12.4.1: 90 days searchable, 30 days
 * of combined downloads; CLD8.1.5: erased within 45 days of termination), compared rule by rule.
 */
import { COMBINED_DOWNLOAD_PREFIX, COMBINED_DOWNLOAD_RETENTION_DAYS, FLOW_LOG_PREFIX, FLOW_LOG_RETENTION_DAYS, LOG_SEARCH_RETENTION_DAYS, LOG_STREAMS, OPERATOR_WORK_RETENTION_DAYS, OPERATOR_WORK_STREAM } from '../commitments';
import { lifecycleRules } from '../output/lifecycle';
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
  if (prefix === OPERATOR_WORK_STREAM.prefix) return OPERATOR_WORK_RETENTION_DAYS;
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

/**
 * The stack's lifecycle rules by id (a rule without one as `#<index>`), read by output/lifecycle.ts
 * as the compliance rules read them: enabled means `status: Enabled`. Ids are stable (the days
 * live in the rule), so base and head rules pair by id alone.
 */
export function retentionRules(config: StackConfig | undefined): Map<string, RetentionRule> {
  const out = new Map<string, RetentionRule>();
  for (const r of lifecycleRules(config)) {
    const id = r.id !== '' ? r.id : `#${r.index}`;
    out.set(id, {
      address: r.resource,
      index: r.index,
      id,
      enabled: r.enabled,
      prefix: r.prefix,
      days: r.expirationDays as number | undefined,
      date: r.expirationDate as string | undefined,
      noncurrentDays: r.noncurrentDays as number | undefined,
    });
  }
  return out;
}
