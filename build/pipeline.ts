/**
 * `ras build` as one pass over the fleet: each shard of tenants (one per core) is synthesized,
 * read back, judged and reported on by the thread that holds it; only the tenants' network
 * claims (for the isolation rules) and their verdicts cross threads. Output is the same, byte for
 * byte, as `ras synth`, then `ras report`, then `ras check` on one thread (test/build.test.ts).
 *
 * Both output folders are written aside and swapped in at the end: a failure at any step leaves
 * the previous stacks and reports as they were.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATHS, loadFleet, tenantFiles, type ContractPaths } from '../contract/load';
import type { TenantClaims } from '../policies/address-space';
import { NothingToCheckError } from '../policies/errors';
import type { FleetVerdict } from '../policies/evaluate';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions } from '../policies/suppressions';
import { reportTime, writeFleetReport } from '../report/write';
import { split, threadCount, WorkerPool, type Request } from '../parallel/pool';
import type { Session } from '../parallel/ops';
import { mergeShards, shardDir } from '../stacks/shards';
import { replaceWhole } from '../stacks/synth';
import { judge, synthAndRead, type JudgeArgs, type ShardVerdicts, type SynthArgs } from './shard';

export interface BuildOptions {
  /** @default DEFAULT_PATHS (fleet.yaml, tenants/) */
  readonly paths?: ContractPaths;
  /** Synthesized output. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Auditor reports. @default 'reports' */
  readonly reportsDir?: string;
  /** @default DEFAULT_SUPPRESSIONS_FILE */
  readonly suppressionsFile?: string;
  /** Ansible roles whose defaults underlie the rendered variables. @default 'ansible/roles' */
  readonly rolesDir?: string;
}

export interface BuildResult {
  readonly verdict: FleetVerdict;
  /** Report files written: five per tenant, five for the fleet. */
  readonly reportFiles: number;
}

export function buildFleet(options: BuildOptions = {}): BuildResult {
  const paths = options.paths ?? DEFAULT_PATHS;
  const outdir = options.outdir ?? 'cdktf.out';
  const reportsDir = options.reportsDir ?? 'reports';
  const suppressions = loadSuppressions(options.suppressionsFile ?? DEFAULT_SUPPRESSIONS_FILE, ISO27017_PACK.map((e) => e.id));
  const generatedAt = reportTime();
  // Started before the contracts are read, so the workers load their modules meanwhile.
  const threads = threadCount(existsSync(paths.tenantsDir) ? tenantFiles(paths.tenantsDir).length : 0);
  const pool = new WorkerPool(threads - 1);
  const staging = { out: `${outdir}.staging-${process.pid}`, reports: `${reportsDir}.staging-${process.pid}` };
  try {
    const fleet = loadFleet(paths);
    if (fleet.tenants.length === 0) throw new NothingToCheckError(`no tenant contracts in ${paths.tenantsDir}`);
    for (const dir of [staging.out, staging.reports]) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    // Name order, as the reports and the check list tenants; the shards are contiguous runs of it.
    const parts = split([...fleet.tenants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), threads);
    const rolesDir = options.rolesDir ?? join('ansible', 'roles');
    const synthArgs = parts.map((part, k): SynthArgs => ({ fleet, outdir: shardDir(staging.out, k), ids: part.map((t) => t.id), rolesDir }));
    const claims = onEveryShard<TenantClaims[]>(pool, synthArgs.map((args) => ({ op: 'build-synth', args })), (s) => synthAndRead(synthArgs[0], s)).flat();
    const judgeArgs: JudgeArgs = { claims, suppressions, reportsDir: staging.reports, generatedAt };
    const shards = onEveryShard<ShardVerdicts>(pool, parts.map(() => ({ op: 'build-judge', args: judgeArgs })), (s) => judge(judgeArgs, s));
    mergeShards(staging.out, parts);

    const used = new Set(shards.flatMap((s) => s.used));
    const verdict: FleetVerdict = {
      tenants: shards.flatMap((s) => s.verdicts),
      suppressions,
      unusedSuppressions: suppressions.filter((_, i) => !used.has(i)),
    };
    const fleetFiles = writeFleetReport(verdict, staging.reports, generatedAt);
    replaceWhole(staging.out, outdir);
    replaceWhole(staging.reports, reportsDir);
    return { verdict, reportFiles: fleetFiles.length + verdict.tenants.length * fleetFiles.length };
  } finally {
    pool.close();
    for (const dir of Object.values(staging)) rmSync(dir, { recursive: true, force: true });
  }
}

const mainSession: Session = new Map();

/** Runs `requests[0]` here (as `here`) and the others on the pool's workers; the results in shard order. */
function onEveryShard<T>(pool: WorkerPool, requests: readonly Request[], here: (session: Session) => T): T[] {
  pool.send(requests.slice(1));
  const mine = here(mainSession);
  return [mine, ...pool.collect<T>()];
}
