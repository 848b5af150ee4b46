/**
 * Shards of a fleet, for spreading `ras build` over a CI matrix (`--shard I/N`): shard I of N
 * takes the I-th of N contiguous runs of the tenants in name order (sizes differ by at most one),
 * so every machine computes the same split from the same contracts. A shard writes its tenants'
 * stacks and reports and a record (shard.json) of their verdicts; `ras merge` checks the records
 * belong together and writes what the one-process build writes (build/merge.ts).
 */
import { createHash } from 'node:crypto';
import type { FleetModel, TenantModel } from '../contract/model';
import type { FleetSettings } from '../contract/types';
import type { ScrapeTargetResult } from '../output/scrape-target';
import type { Provenance } from '../report/provenance';
import type { TenantVerdict } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';

/** A shard's record could not be used, or the shards given do not make up one fleet. */
export class ShardError extends Error {}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = m === null ? [NaN, NaN] : [Number(m[1]), Number(m[2])];
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && index >= 1 && count >= 1 && index <= count)) {
    throw new ShardError(`--shard must be I/N with 1 <= I <= N (got ${JSON.stringify(text)})`);
  }
  return { index, count };
}

/** Shard `shard`'s tenants of `sorted` (name order): the same on every machine. */
export function shareOf<T>(sorted: readonly T[], shard: Shard): T[] {
  const from = Math.floor(((shard.index - 1) * sorted.length) / shard.count);
  const to = Math.floor((shard.index * sorted.length) / shard.count);
  return sorted.slice(from, to);
}

/** Bump when the record changes shape, so `ras merge` refuses records of another version. */
export const SHARD_FORMAT = 'ras-shard/2';

export interface ShardRecord {
  readonly format: string;
  readonly shard: Shard;
  /** Identifies the inputs every shard must share: the whole fleet's contracts, settings and suppressions. */
  readonly fleet: { readonly tenants: number; readonly digest: string };
  /** The fleet settings, for the fleet's own stacks and outputs that ras merge writes. */
  readonly settings: FleetSettings;
  /** The fleet's provenance (every contract's SHA-256), for the fleet page. */
  readonly provenance: Provenance;
  /** This shard's tenants, in name order, with their verdicts. */
  readonly verdicts: readonly TenantVerdict[];
  /** Their gateways' scrape targets, in the same order, for monitoring/. */
  readonly targets: readonly ScrapeTargetResult[];
  readonly suppressions: readonly Suppression[];
  /** Positions in `suppressions` of those that covered a finding in this shard. */
  readonly used: readonly number[];
}

/** One tenant's contract as built (its model, so comments and key order do not count). */
export function tenantDigest(t: TenantModel): string {
  return createHash('sha256').update(JSON.stringify(t)).digest('base64url');
}

/** The digest of everything a shard's result depends on besides the code: every tenant, the settings, the suppressions. */
export function fleetDigest(fleet: FleetModel, suppressions: readonly Suppression[], tenantDigests: readonly string[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(fleet.settings)).update('\0').update(JSON.stringify(suppressions)).update('\0');
  for (const d of tenantDigests) h.update(d);
  return h.digest('base64url');
}
