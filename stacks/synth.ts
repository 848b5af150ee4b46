/**
 * The one synth function. `cdktf synth` (main.ts) and `ras synth` (cli/) both call it, so they
 * can never disagree about what a tenant's stack is.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'cdktf';
import { DEFAULT_PATHS, loadFleet, type ContractPaths } from '../contract/load';
import type { FleetModel, TenantModel } from '../contract/model';
import { split, threadCount, WorkerPool } from '../parallel/pool';
import { readManifest, writeMergedManifest } from './manifest';
import { mergeShards, pick, shardDir } from './shards';
import { writeGatewayConfig } from '../gateway-config';
import { writePortalSettings } from './portal-settings';
import { disableTokenCreationTraces } from './synth-speed';
import { TenantStack } from './tenant-stack';

import { UnknownTenantError } from './errors';

export { UnknownTenantError };

export interface SynthOptions {
  /** Where the contracts are. @default DEFAULT_PATHS (fleet.yaml, tenants/) */
  readonly paths?: ContractPaths;
  /** Output folder. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Synthesize only these tenants (the whole fleet is still loaded and checked). @default - all */
  readonly only?: readonly string[];
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

/** Synthesizes the selected tenants of `fleet` into `outdir` (written in place), on every core for a large fleet. */
export function synthInto(fleet: FleetModel, outdir: string, only?: readonly string[]): SynthesizedStack[] {
  const selected = select(fleet, only);
  const threads = threadCount(selected.length);
  if (threads > 1) synthParallel(fleet, outdir, split(selected, threads));
  else synthSerial(fleet, outdir, selected);
  return selected.map((t) => ({ id: t.id, dir: join(outdir, 'stacks', t.id) }));
}

function synthParallel(fleet: FleetModel, outdir: string, parts: readonly TenantModel[][]): void {
  const pool = new WorkerPool(parts.length - 1);
  try {
    pool.send(parts.slice(1).map((part, i) => ({ op: 'synth', args: { fleet, outdir: shardDir(outdir, i + 1), ids: part.map((t) => t.id) } satisfies ShardArgs })));
    synthSerial(fleet, shardDir(outdir, 0), parts[0]);
    pool.collect();
  } finally {
    pool.close();
  }
  mergeShards(outdir, parts);
}

export interface ShardArgs {
  readonly fleet: FleetModel;
  readonly outdir: string;
  readonly ids: readonly string[];
}

/** Worker operation `synth` (parallel/ops.ts): one shard into its own folder. */
export function synthShard(args: ShardArgs): void {
  synthSerial(args.fleet, args.outdir, pick(args.fleet, args.ids));
}

/** Synthesizes `tenants` in one cdktf app on this thread. */
export function synthSerial(fleet: FleetModel, outdir: string, tenants: readonly TenantModel[]): void {
  disableTokenCreationTraces();
  mkdirSync(outdir, { recursive: true });
  // stackTraces: false keeps construction traces out of construct metadata (never synthesized).
  // skipValidation: cdktf's validations add, for every terraform_data, a probe that spawns
  // `terraform version` (45 s for 1,000 tenants); the stacks' validations run in the tests
  // (Testing.synth with validations on) and `terraform validate` checks the real output.
  const app = new App({ outdir, stackTraces: false, skipValidation: true });
  for (const tenant of tenants) new TenantStack(app, { tenant, fleet: fleet.settings });
  app.synth();
  for (const t of tenants) {
    const dir = join(outdir, 'stacks', t.id);
    writePortalSettings(dir, t);
    // The gateway's Ansible inventory and variables, from the same model (active Type A only).
    if (t.active && t.contract.gateway.type === 'A') writeGatewayConfig(dir, t, fleet.settings);
  }
}

/**
 * Loads and checks every contract, then synthesizes into a staging folder and swaps it in.
 * On any contract problem it throws ContractError before writing anything, and a failure
 * during synthesis leaves the previous output as it was.
 */
export function synthTenants(options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? 'cdktf.out';
  const fleet = loadFleet(options.paths ?? DEFAULT_PATHS);
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(staging), { recursive: true });
  try {
    const staged = synthInto(fleet, staging, options.only);
    if (options.only === undefined) replaceWhole(staging, outdir);
    else replaceStacks(staging, outdir, staged.map((s) => s.id));
    return { fleet, stacks: staged.map((s) => ({ id: s.id, dir: join(outdir, 'stacks', s.id) })) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function select(fleet: FleetModel, only: readonly string[] | undefined) {
  if (only === undefined) return fleet.tenants;
  const unknown = only.filter((id) => !fleet.tenants.some((t) => t.id === id));
  if (unknown.length > 0) throw new UnknownTenantError(`unknown tenant(s): ${unknown.join(', ')}`);
  return fleet.tenants.filter((t) => only.includes(t.id));
}

/** Swaps the staged output for the old one: two renames, never a half-written folder in place. */
export function replaceWhole(staging: string, outdir: string): void {
  const old = `${outdir}.old-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
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
