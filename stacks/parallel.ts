/**
 * Synthesis of a large fleet on every core: the tenants are split into contiguous shards, one
 * synthesized on this thread and the others in worker threads, each into a folder of its own;
 * the stacks are then moved into place and the manifests merged. Each tenant's stack depends on
 * nothing but its own model, so the result is byte-identical to a one-app synthesis
 * (test/synth-parallel.test.ts checks it).
 *
 * Synthesis is a synchronous API (cdktf's own is), so this thread waits for the workers with
 * Atomics.wait on shared memory rather than on messages.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FleetModel, TenantModel } from '../contract/model';
import { readManifest, writeMergedManifest } from './manifest';

export const SHARD_RUNNING = 0;
export const SHARD_OK = 1;
export const SHARD_FAILED = 2;

/** Below this many tenants a worker's start-up (~0.4 s) costs more than it saves. */
export const PARALLEL_MIN_TENANTS = 48;

/** A worker that has not finished after this long is taken for dead. */
const WORKER_TIMEOUT_MS = 15 * 60 * 1000;

/** The worker script exists only in the compiled build; TypeScript run by jest uses one thread. */
const WORKER_SCRIPT = join(__dirname, 'synth-worker.js');

/** Threads to use: RAS_SYNTH_WORKERS when set (1 = this thread only), else one per core for large fleets. */
export function threadCount(tenants: number): number {
  if (!existsSync(WORKER_SCRIPT)) return 1;
  const asked = process.env.RAS_SYNTH_WORKERS;
  if (asked === undefined) return tenants < PARALLEL_MIN_TENANTS ? 1 : Math.min(availableParallelism(), tenants);
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1) throw new Error(`RAS_SYNTH_WORKERS must be a whole number >= 1 (got ${JSON.stringify(asked)})`);
  return Math.max(1, Math.min(n, tenants));
}

export function synthSharded(
  fleet: FleetModel,
  outdir: string,
  tenants: readonly TenantModel[],
  threads: number,
  synthHere: (dir: string, tenants: readonly TenantModel[]) => void,
): void {
  const size = Math.ceil(tenants.length / threads);
  const parts = Array.from({ length: threads }, (_, k) => tenants.slice(k * size, (k + 1) * size)).filter((p) => p.length > 0);
  const dirs = parts.map((_, k) => join(outdir, `.shard-${k}`));
  const flags = new Int32Array(new SharedArrayBuffer(4 * parts.length));
  const workers = parts.slice(1).map(
    (part, i) =>
      new Worker(WORKER_SCRIPT, { workerData: { fleet, outdir: dirs[i + 1], ids: part.map((t) => t.id), status: flags.buffer, index: i + 1 } }),
  );
  try {
    synthHere(dirs[0], parts[0]);
    for (let k = 1; k < parts.length; k++) waitFor(flags, k, dirs[k]);
  } finally {
    for (const w of workers) void w.terminate();
  }
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  for (const [k, part] of parts.entries()) {
    for (const t of part) renameSync(join(dirs[k], 'stacks', t.id), join(outdir, 'stacks', t.id));
  }
  writeMergedManifest(outdir, dirs.map((d) => readManifest(d)!));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

function waitFor(flags: Int32Array, k: number, dir: string): void {
  const deadline = Date.now() + WORKER_TIMEOUT_MS;
  while (Atomics.load(flags, k) === SHARD_RUNNING) {
    if (Date.now() > deadline) throw new Error(`synthesis worker ${k} did not finish within ${WORKER_TIMEOUT_MS / 60000} minutes`);
    Atomics.wait(flags, k, SHARD_RUNNING, 1000);
  }
  if (Atomics.load(flags, k) === SHARD_FAILED) {
    const reason = existsSync(`${dir}.error`) ? readFileSync(`${dir}.error`, 'utf8') : 'unknown error';
    throw new Error(`synthesis worker ${k} failed: ${reason}`);
  }
}
