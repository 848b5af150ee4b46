/**
 * What each thread does in `ras build` (build/ops.ts): take chunks of tenants until none is left
 * and, for each chunk, synthesize it, read it back as the rules see it, judge its tenants and
 * write their reports. A chunk's parsed output is dropped as soon as it is judged, and what the
 * build records of its tenants (verdicts without evidence, the fleet-wide questions asked, scrape
 * targets) goes to a file of the chunk's own (chunkRecords), not back to the main thread at the
 * end: a thread holds one chunk at a time whatever the fleet's size. The other tenants are known by their claims, computed from their contracts
 * (build/claims.ts) and checked against each synthesized stack.
 */
import type { FleetModel } from '../contract/model';
import { claimsOf, fleetIndex, type FleetIndex, type TenantClaims } from '../policies/address-space';
import { evaluateTenant, verdictOf, type TenantVerdict } from '../policies/evaluate';
import { monitoringTarget } from '../monitoring/write';
import { stackReader } from '../output/read';
import type { ScrapeTargetResult } from '../output/scrape-target';
import { viewOfStack } from '../policies/inputs/read';
import type { Suppression } from '../policies/suppressions';
import { tenantProvenance, type Provenance } from '../report/provenance';
import { writeTenantReport } from '../report/write';
import { chunkDir } from '../stacks/chunks';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthChunks, type ChunkArgs } from '../stacks/synth-thread';
import { claimsMismatch, contractClaims } from './claims';
import { recording, type FleetQuery } from './fleet-queries';
import { compactVerdict } from './verdicts';

export interface BuildChunkArgs extends ChunkArgs {
  readonly rolesDir: string;
  /** The fleet stacks, synthesized before the tenants: the rules judge each tenant's state backend by them. */
  readonly fleetStacksDir: string;
  readonly suppressions: readonly Suppression[];
  readonly reportsDir: string;
  /** The fleet's provenance; each tenant's reports show their own part of it (report/provenance.ts). */
  readonly provenance: Provenance;
  /** Where each chunk's records go (chunkRecords). */
  readonly recordsDir: string;
}

/** One tenant built: its verdict, and what the incremental build records of it (build/incremental.ts). */
export interface Judged {
  readonly verdict: TenantVerdict;
  /** What the fleet-wide rules asked about the other tenants. */
  readonly queries: FleetQuery[];
  /** Its own suppressions that covered a finding. */
  readonly used: Suppression[];
  /** Its gateway's scrape target, for the fleet's monitoring/ (written once the fleet is known). */
  readonly target: ScrapeTargetResult;
}

/** The file of chunk `k`'s records: one JSON line per tenant, in name order. */
export function chunkRecords(recordsDir: string, k: number): string {
  return join(recordsDir, `chunk-${k}.ndjson`);
}

/** Chunk `k`'s records, as buildChunks wrote them. */
export function readChunkRecords(recordsDir: string, k: number): (Judged & { readonly tenant: string })[] {
  return readFileSync(chunkRecords(recordsDir, k), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Judged & { readonly tenant: string });
}

/** Every tenant's claims, in name order: what the fleet-wide rules know of the others. */
export function fleetClaims(fleet: FleetModel): TenantClaims[] {
  return [...fleet.tenants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(contractClaims);
}

/** Per thread and fleet model: the index is built once, not once per request. */
const indexes = new WeakMap<FleetModel, { claims: Map<string, TenantClaims>; index: FleetIndex }>();

export function indexOf(fleet: FleetModel): { claims: Map<string, TenantClaims>; index: FleetIndex } {
  let known = indexes.get(fleet);
  if (known === undefined) {
    const all = fleetClaims(fleet);
    known = { claims: new Map(all.map((c) => [c.tenant, c])), index: fleetIndex(all) };
    indexes.set(fleet, known);
  }
  return known;
}

/** Builds chunks until none is left (see above); returns the chunks this thread did. */
export function buildChunks(args: BuildChunkArgs): number[] {
  const read = stackReader({ rolesDir: args.rolesDir, fleetStacksDir: args.fleetStacksDir });
  const target = monitoringTarget();
  const { claims, index } = indexOf(args.fleet);
  return synthChunks(args, (k) => {
    const stacks = [...args.plan.ids[k]].sort().map((id) => read(join(chunkDir(args.outdir, k), 'stacks', id)));
    const lines = stacks.map((stack) => {
      const view = viewOfStack(stack);
      const wrong = claimsMismatch(claims.get(view.stackId)!, claimsOf(view));
      if (wrong !== undefined) throw new Error(wrong);
      const queries: FleetQuery[] = [];
      const used = new Set<Suppression>();
      const t = evaluateTenant(view, recording(index, queries), args.suppressions, used);
      // A suppression only covers findings of its own tenant, so whether it was used is known here.
      const own = args.suppressions.filter((s) => s.tenant === t.tenant);
      writeTenantReport(t, { suppressions: own, unusedSuppressions: own.filter((s) => !used.has(s)) }, args.reportsDir, tenantProvenance(args.provenance, t.tenant));
      const judged: Judged = { verdict: compactVerdict(verdictOf(t)), queries, used: [...used], target: target(stack) };
      return JSON.stringify({ tenant: t.tenant, ...judged });
    });
    writeFileSync(chunkRecords(args.recordsDir, k), `${lines.join('\n')}\n`);
  });
}
