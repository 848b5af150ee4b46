/**
 * Synthesis of a large fleet on every core: the tenants are split into contiguous shards, one
 * synthesized on this thread and the others in worker threads, each into a folder of its own;
 * the stacks are then moved into place and the manifests merged. Each tenant's stack depends on
 * nothing but its own model, so the result is byte-identical to a one-app synthesis
 * (test/synth-parallel.test.ts checks it).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetModel, TenantModel } from '../contract/model';
import { readManifest, writeMergedManifest } from './manifest';

/** The folder shard k is synthesized into, inside `outdir`. */
export function shardDir(outdir: string, k: number): string {
  return join(outdir, `.shard-${k}`);
}

/** The tenants of a shard by id, since a worker is sent the fleet once and picks its own. */
export function pick(fleet: FleetModel, ids: readonly string[]): TenantModel[] {
  const wanted = new Set(ids);
  return fleet.tenants.filter((t) => wanted.has(t.id));
}

/** Moves every shard's stacks into `outdir/stacks`, merges their manifests and removes the shard folders. */
export function mergeShards(outdir: string, parts: readonly (readonly TenantModel[])[]): void {
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const dirs = parts.map((_, k) => shardDir(outdir, k));
  for (const [k, part] of parts.entries()) {
    for (const t of part) renameSync(join(dirs[k], 'stacks', t.id), join(outdir, 'stacks', t.id));
  }
  writeMergedManifest(outdir, dirs.map((d) => readManifest(d)!));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
