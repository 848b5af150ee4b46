/**
 * Synthesis of a large fleet on every core. The tenants (in name order) are cut into small
 * contiguous chunks; each thread takes the next chunk from a shared counter until none is left,
 * and synthesizes it as one cdktf app into a folder of its own. A thread that started late or runs
 * slower simply takes fewer chunks, so the threads finish together; an app per chunk also lets
 * each chunk's construct tree go as soon as it is written. The stacks are then moved into place
 * and the manifests merged. Each tenant's stack depends on nothing but its own model, so the
 * result is byte-identical to a one-app synthesis (test/synth-parallel.test.ts checks it).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetModel, TenantModel } from '../contract/model';
import { betweenChunks, holdChunk, WorkerError } from '../parallel/pool';
import { readManifest, writeMergedManifest } from './manifest';

/** Small enough for the threads to finish within a few tenants of each other; an app per chunk costs ~nothing. */
export const CHUNK_SIZE = 8;

/** The chunks of one synthesis, sent to every thread (by tenant id: each thread has the fleet model). */
export interface ChunkPlan {
  readonly ids: readonly (readonly string[])[];
  /** Int32 counter: the next chunk to take. */
  readonly next: SharedArrayBuffer;
  /** Int32 counter: tenants done, on every thread (for progress). */
  readonly done: SharedArrayBuffer;
  /** Tenants in all chunks. */
  readonly tenants: number;
}

export function planChunks(tenants: readonly TenantModel[], size = CHUNK_SIZE): ChunkPlan {
  const ids: string[][] = [];
  for (let i = 0; i < tenants.length; i += size) ids.push(tenants.slice(i, i + size).map((t) => t.id));
  return { ids, next: new SharedArrayBuffer(4), done: new SharedArrayBuffer(4), tenants: tenants.length };
}

/** Takes chunks until none is left, calling `work` for each; returns the chunk numbers this thread did. */
export function takeChunks(plan: ChunkPlan, work: (k: number) => void): number[] {
  const next = new Int32Array(plan.next);
  const done: number[] = [];
  for (let k = Atomics.add(next, 0, 1); k < plan.ids.length; k = Atomics.add(next, 0, 1)) {
    holdChunk(k);
    work(k);
    done.push(k);
    Atomics.add(new Int32Array(plan.done), 0, plan.ids[k].length);
    // On the main thread: a worker that died is noticed now, not when this thread's share is done.
    betweenChunks();
  }
  holdChunk(-1);
  return done;
}

/** Tenants done so far, on every thread. */
export function chunksDone(plan: ChunkPlan): number {
  return Atomics.load(new Int32Array(plan.done), 0);
}

/** Runs `f`; a worker failure it throws is told the tenants of the chunk that worker was on. */
export function naming<T>(plan: ChunkPlan, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WorkerError && e.chunk >= 0) e.holding(plan.ids[e.chunk] ?? []);
    throw e;
  }
}

/** Makes every thread stop after the chunk it is on (a failure elsewhere ends the synthesis). */
export function cancelChunks(plan: ChunkPlan): void {
  Atomics.store(new Int32Array(plan.next), 0, plan.ids.length);
}

/** The folder chunk k is synthesized into, inside `outdir`. */
export function chunkDir(outdir: string, k: number): string {
  return join(outdir, `.chunk-${k}`);
}

/** The tenants of a chunk, in the chunk's order. */
export function pick(fleet: FleetModel, ids: readonly string[]): TenantModel[] {
  const byId = new Map(fleet.tenants.map((t) => [t.id, t]));
  return ids.map((id) => byId.get(id)!);
}

/** Moves every chunk's stacks into `outdir/stacks`, merges their manifests and removes the chunk folders. */
export function mergeChunks(outdir: string, plan: ChunkPlan): void {
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const dirs = plan.ids.map((_, k) => chunkDir(outdir, k));
  for (const [k, ids] of plan.ids.entries()) {
    for (const id of ids) renameSync(join(dirs[k], 'stacks', id), join(outdir, 'stacks', id));
  }
  writeMergedManifest(outdir, dirs.map((d) => readManifest(d)!));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
