/**
 * What each thread does in `ras build` (build/ops.ts), on the chunks it takes:
 *   1. synthAndRead: synthesize chunks until none is left, read each back as the rules see it, and
 *      return what its tenants claim on the shared network (all the other threads need to know);
 *   2. judge: given the whole fleet's claims, evaluate the tenants it holds and write their
 *      reports, returning only the verdicts (no evidence) for the check output and the fleet page.
 * The parsed output stays in the thread's session between the two, never copied between threads.
 */
import { join } from 'node:path';
import { claimsOf, fleetIndex, type TenantClaims } from '../policies/address-space';
import { evaluateTenant, verdictOf, type TenantVerdict } from '../policies/evaluate';
import { monitoringTarget } from '../monitoring/write';
import type { ScrapeTargetResult } from '../output/scrape-target';
import { stackReader } from '../output/read';
import { viewOfStack } from '../policies/inputs/read';
import type { Suppression } from '../policies/suppressions';
import type { TenantView } from '../policies/types';
import type { Provenance } from '../report/provenance';
import { writeTenantReport } from '../report/write';
import { betweenChunks, holdChunk, type Session } from '../parallel/pool';
import { chunkDir } from '../stacks/chunks';
import { synthChunks, type ChunkArgs } from '../stacks/synth-thread';

const HELD = 'build:views';

export interface SynthArgs extends ChunkArgs {
  readonly rolesDir: string;
}

/** One chunk's part of a result; the main thread puts the chunks back in order. */
export interface ChunkResult<T> {
  readonly chunk: number;
  readonly value: T;
}

/** What a tenant's read-back gives the main thread: its network claims and its gateway's scrape target. */
export interface ReadBack {
  readonly claims: TenantClaims;
  readonly target: ScrapeTargetResult;
}

export function synthAndRead(args: SynthArgs, session: Session): ChunkResult<ReadBack[]>[] {
  const read = stackReader({ rolesDir: args.rolesDir });
  const target = monitoringTarget();
  const held: ChunkResult<TenantView[]>[] = [];
  const targets = new Map<number, ScrapeTargetResult[]>();
  session.set(HELD, held);
  // Read back right after each chunk, so reading is shared out with the chunks.
  synthChunks(args, (k) => {
    const stacks = [...args.plan.ids[k]].sort().map((id) => read(join(chunkDir(args.outdir, k), 'stacks', id)));
    held.push({ chunk: k, value: stacks.map(viewOfStack) });
    targets.set(k, stacks.map(target));
  });
  return held.map(({ chunk, value }) => ({ chunk, value: value.map((view, i) => ({ claims: claimsOf(view), target: targets.get(chunk)![i] })) }));
}

export interface JudgeArgs {
  /** Every tenant's claims, in name order. */
  readonly claims: readonly TenantClaims[];
  readonly suppressions: readonly Suppression[];
  readonly reportsDir: string;
  /** What the reports were made from (code, contracts, time), the same on every thread. */
  readonly provenance: Provenance;
  /** Int32 counter: tenants judged, on every thread (for progress). */
  readonly done: SharedArrayBuffer;
}

export interface Judged {
  readonly verdicts: ChunkResult<TenantVerdict[]>[];
  /** Positions in `suppressions` of those that covered a finding here. */
  readonly used: number[];
}

export function judge(args: JudgeArgs, session: Session): Judged {
  const held = session.get(HELD) as ChunkResult<TenantView[]>[] | undefined;
  if (held === undefined) throw new Error('judge before synthAndRead on this thread');
  session.delete(HELD);
  const index = fleetIndex(args.claims);
  const used = new Set<Suppression>();
  const done = new Int32Array(args.done);
  const verdicts = held.map(({ chunk, value }) => {
    holdChunk(chunk);
    const judged = {
      chunk,
      value: value.map((view) => {
        const t = evaluateTenant(view, index, args.suppressions, used);
        // A suppression only covers findings of its own tenant, so whether it was used is known here.
        const own = args.suppressions.filter((s) => s.tenant === t.tenant);
        writeTenantReport(t, { suppressions: own, unusedSuppressions: own.filter((s) => !used.has(s)) }, args.reportsDir, args.provenance);
        return verdictOf(t);
      }),
    };
    Atomics.add(done, 0, value.length);
    betweenChunks();
    return judged;
  });
  holdChunk(-1);
  return { verdicts, used: args.suppressions.flatMap((s, i) => (used.has(s) ? [i] : [])) };
}
