/**
 * The one synth function. `cdktf synth` (main.ts) and `ras synth` (cli/) both call it, so they
 * can never disagree about what a tenant's stack is.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_PATHS, loadFleet, type ContractPaths } from '../contract/load';
import type { FleetModel } from '../contract/model';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { endPhase, startPhase } from '../lib/progress';
import { PARALLEL_MIN_TENANTS, threadCount, WorkerPool } from '../parallel/pool';
import { synthFleetStacks } from './fleet-synth';
import { cancelChunks, chunksDone, mergeChunks, naming, planChunks, type ChunkPlan } from './chunks';
import { readManifest, writeMergedManifest } from './manifest';
import { SYNTH_REGISTRY } from './ops';
import { synthChunks, synthSerial, type ChunkArgs } from './synth-thread';

import { UnknownTenantError } from './errors';

export { UnknownTenantError, replaceWhole };

export interface SynthOptions {
  /** Worker threads already started with the synth operations (stacks/ops.ts); used and closed. @default - started here if the fleet is large */
  readonly pool?: WorkerPool;
  /** Where the contracts are. @default DEFAULT_PATHS (fleet.yaml, tenants/) */
  readonly paths?: ContractPaths;
  /** Output folder. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Synthesize only these tenants (the whole fleet is still loaded and checked). @default - all */
  readonly only?: readonly string[];
  /**
   * Writes what is derived from the whole fleet's output (the Prometheus configuration) into the
   * folder holding `stacks/`: the staging folder before the swap, or the output folder once a
   * partial synth's stacks are in (then it must write atomically itself, and is told which
   * tenants changed). @default - nothing
   */
  readonly fleetOutputs?: (dir: string, fleet: FleetModel, only?: readonly string[]) => void;
}

export interface SynthesizedStack {
  readonly id: string;
  /** Folder holding cdk.tf.json, portal.json (portal settings) and, from the gateway configuration, ansible/. */
  readonly dir: string;
}

export interface SynthResult {
  readonly fleet: FleetModel;
  readonly stacks: readonly SynthesizedStack[];
}

/**
 * Synthesizes the selected tenants of `fleet` into `outdir` (written in place), on every core for
 * a large fleet. `pool`, when given, is used (and closed) instead of starting workers here.
 */
export function synthInto(fleet: FleetModel, outdir: string, only?: readonly string[], pool?: WorkerPool): SynthesizedStack[] {
  const selected = select(fleet, only);
  const workers = pool ?? new WorkerPool(threadCount(selected.length) - 1, SYNTH_REGISTRY);
  try {
    // In chunks on one thread too when the fleet is large, so progress can be counted.
    if (workers.size > 0 || selected.length >= PARALLEL_MIN_TENANTS) synthChunked(fleet, outdir, planChunks(selected), workers);
    else synthSerial(fleet, outdir, selected);
  } finally {
    workers.close();
  }
  // The fleet stacks come with a whole-fleet synth; a synth of named tenants leaves them alone.
  if (only === undefined) synthFleetStacks(fleet, outdir);
  return selected.map((t) => ({ id: t.id, dir: join(outdir, 'stacks', t.id) }));
}

function synthChunked(fleet: FleetModel, outdir: string, plan: ChunkPlan, pool: WorkerPool): void {
  const args: ChunkArgs = { fleet, outdir, plan };
  startPhase('synthesizing', plan.tenants, () => chunksDone(plan));
  naming(plan, () => pool.everywhere({ op: 'synth', args }, () => synthChunks(args), () => cancelChunks(plan)));
  endPhase();
  mergeChunks(outdir, plan);
}

/**
 * Loads and checks every contract, then synthesizes into a staging folder and swaps it in.
 * On any contract problem it throws ContractError before writing anything, and a failure
 * during synthesis leaves the previous output as it was.
 */
export function synthTenants(options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? 'cdktf.out';
  const staging = stagingDir(outdir);
  let unlock = () => undefined as void;
  try {
    unlock = lockOutputs([outdir]);
    startPhase('checking contracts');
    const fleet = loadFleet(options.paths ?? DEFAULT_PATHS);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(staging), { recursive: true });
    const staged = synthInto(fleet, staging, options.only, options.pool);
    if (options.only === undefined) {
      options.fleetOutputs?.(staging, fleet);
      replaceWhole(staging, outdir);
    } else {
      replaceStacks(staging, outdir, staged.map((s) => s.id));
      options.fleetOutputs?.(outdir, fleet, options.only);
    }
    return { fleet, stacks: staged.map((s) => ({ id: s.id, dir: join(outdir, 'stacks', s.id) })) };
  } finally {
    endPhase();
    options.pool?.close();
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}

function select(fleet: FleetModel, only: readonly string[] | undefined) {
  if (only === undefined) return fleet.tenants;
  const unknown = only.filter((id) => !fleet.tenants.some((t) => t.id === id));
  if (unknown.length > 0) throw new UnknownTenantError(`unknown tenant(s): ${unknown.join(', ')}`);
  return fleet.tenants.filter((t) => only.includes(t.id));
}

/** Replaces only the given stacks and merges their entries into the existing manifest. */
function replaceStacks(staging: string, outdir: string, ids: readonly string[]): void {
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  for (const id of ids) {
    const target = join(outdir, 'stacks', id);
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(join(staging, 'stacks', id), target);
    rmSync(old, { recursive: true, force: true });
  }
  writeMergedManifest(outdir, [readManifest(staging)!], readManifest(outdir));
}
