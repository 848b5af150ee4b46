/**
 * `ras build` as one pass over the fleet: every thread takes chunks of tenants (stacks/chunks.ts)
 * and synthesizes, reads back, judges and reports on the tenants it took; only the tenants'
 * network claims (for the isolation rules) and their verdicts cross threads. Output is the same,
 * byte for byte, as `ras synth`, then `ras report`, then `ras check` on one thread
 * (test/build.test.ts).
 *
 * Both output folders are written aside and swapped in at the end: a failure at any step leaves
 * the previous stacks and reports as they were.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tenantFiles } from '../contract/files';
import { DEFAULT_PATHS, loadFleet, type ContractPaths } from '../contract/load';
import { ParseCache, parseForCache, type CacheEntry } from '../contract/parse-cache';
import { NothingToCheckError } from '../policies/errors';
import type { FleetVerdict, TenantVerdict } from '../policies/evaluate';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions } from '../policies/suppressions';
import { collectProvenance } from '../report/provenance';
import { writeFleetReport } from '../report/write';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { writeFleetOutputs } from './fleet-outputs';
import { endPhase, startPhase } from '../lib/progress';
import { PARALLEL_MIN_TENANTS, WorkerPool, type Session } from '../parallel/pool';
import { BUILD_REGISTRY, type BuildPool } from './ops';
import { cancelChunks, chunksDone, mergeChunks, naming, planChunks } from '../stacks/chunks';
import { judge, synthAndRead, type ChunkResult, type JudgeArgs, type SynthArgs } from './per-thread';
import { defaultRolesDir } from '../lib/product-roles';
import { synthFleetStacks } from '../stacks/fleet-synth';

export interface BuildOptions {
  /** @default DEFAULT_PATHS (fleet.yaml, tenants/) */
  readonly paths?: ContractPaths;
  /** Synthesized output. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Auditor reports. @default 'reports' */
  readonly reportsDir?: string;
  /** @default DEFAULT_SUPPRESSIONS_FILE */
  readonly suppressionsFile?: string;
  /** Ansible roles whose defaults underlie the rendered variables. @default defaultRolesDir() (lib/product-roles.ts) */
  readonly rolesDir?: string;
  /**
   * Worker threads, started early (cli/build.ts starts them before loading this module); used and
   * closed. @default - none: everything on this thread
   */
  readonly pool?: BuildPool;
}

export interface BuildResult {
  readonly verdict: FleetVerdict;
  /** Report files written: five per tenant, five for the fleet. */
  readonly reportFiles: number;
}

export function buildFleet(options: BuildOptions = {}): BuildResult {
  const pool: BuildPool = options.pool ?? new WorkerPool(0, BUILD_REGISTRY);
  const lap = stopwatch();
  const paths = options.paths ?? DEFAULT_PATHS;
  const outdir = options.outdir ?? 'cdktf.out';
  const reportsDir = options.reportsDir ?? 'reports';
  const staging = { out: stagingDir(outdir), reports: stagingDir(reportsDir) };
  let unlock = () => undefined as void;
  try {
    // Refused while another run writes either folder; what an interrupted run left is cleared.
    unlock = lockOutputs([outdir, reportsDir]);
    startPhase('checking contracts');
    const suppressions = loadSuppressions(options.suppressionsFile ?? DEFAULT_SUPPRESSIONS_FILE, ISO27017_PACK.map((e) => e.id));
    const provenance = collectProvenance(paths);
    const fleet = loadFleet(paths, undefined, parsedEverywhere(pool, paths.tenantsDir));
    if (fleet.tenants.length === 0) throw new NothingToCheckError(`no tenant contracts in ${paths.tenantsDir}`);
    lap('contracts loaded and checked');
    for (const dir of [staging.out, staging.reports]) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    // Name order, as the reports and the check list tenants; chunks are contiguous runs of it.
    const plan = planChunks([...fleet.tenants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    const synthArgs: SynthArgs = { fleet, outdir: staging.out, plan, rolesDir: options.rolesDir ?? defaultRolesDir() };
    startPhase('synthesizing', plan.tenants, () => chunksDone(plan));
    const perThread = naming(plan, () =>
      pool.everywhere({ op: 'build-synth', args: synthArgs }, () => synthAndRead(synthArgs, mainSession), () => cancelChunks(plan)),
    );
    const readBack = inOrder(perThread.flat());
    const claims = readBack.map((r) => r.claims);
    lap(`synthesized and read back (chunks of ${plan.ids[0].length} per thread: ${perThread.map((t) => t.length).join(', ')})`);
    const judgeArgs: JudgeArgs = { claims, suppressions, reportsDir: staging.reports, provenance, done: new SharedArrayBuffer(4) };
    startPhase('judging and writing reports', plan.tenants, () => Atomics.load(new Int32Array(judgeArgs.done), 0));
    const judged = naming(plan, () => pool.everywhere({ op: 'build-judge', args: judgeArgs }, () => judge(judgeArgs, mainSession)));
    endPhase();
    lap('judged, tenant reports written');
    mergeChunks(staging.out, plan);
    // As a whole-fleet `ras synth` does: the fleet's own stacks beside the tenants' (stacks/fleet-synth.ts).
    synthFleetStacks(fleet, staging.out);

    const used = new Set(judged.flatMap((j) => j.used));
    const verdict: FleetVerdict = {
      tenants: inOrder<TenantVerdict>(judged.flatMap((j) => j.verdicts)),
      suppressions,
      unusedSuppressions: suppressions.filter((_, i) => !used.has(i)),
    };
    const fleetFiles = writeFleetReport(verdict, staging.reports, provenance);
    writeFleetOutputs(staging.out, fleet, { rolesDir: options.rolesDir, targets: readBack.map((r) => r.target) });
    replaceWhole(staging.out, outdir);
    replaceWhole(staging.reports, reportsDir);
    lap('fleet report written, output swapped in');
    return { verdict, reportFiles: fleetFiles.length + verdict.tenants.length * fleetFiles.length };
  } finally {
    endPhase();
    pool.close();
    for (const dir of Object.values(staging)) rmSync(dir, { recursive: true, force: true });
    unlock();
  }
}

/**
 * The tenants folder's parse cache, with every contract it lacks parsed: a share on each thread.
 * Parsing YAML with positions is most of a cold load (~1 ms a file); the checks stay in loadFleet.
 */
function parsedEverywhere(pool: BuildPool, tenantsDir: string): ParseCache {
  const cache = new ParseCache(tenantsDir);
  // On one thread loadFleet parses what it lacks anyway: no need to read and hash every file first.
  if (pool.size === 0 || !existsSync(tenantsDir)) return cache;
  const cold = cache.missing(tenantFiles(tenantsDir));
  if (cold.length < PARALLEL_MIN_TENANTS) return cache;
  const share = Math.ceil(cold.length / (pool.size + 1));
  pool.send(Array.from({ length: pool.size }, (_, i) => ({ op: 'parse', args: cold.slice((i + 1) * share, (i + 2) * share) })));
  cache.add(parseForCache(cold.slice(0, share)));
  for (const entries of pool.collect<CacheEntry[]>()) cache.add(entries);
  return cache;
}

/** Chunk results from every thread, back in chunk (= name) order. */
function inOrder<T>(parts: readonly ChunkResult<readonly T[]>[]): T[] {
  return [...parts].sort((a, b) => a.chunk - b.chunk).flatMap((p) => p.value);
}

/** This thread's share of the work keeps its state here, as a worker does in its own. */
const mainSession: Session = new Map();

/** RAS_TIMINGS=1: each step's wall time on stderr, to see where a build's time goes. */
function stopwatch(): (step: string) => void {
  if (process.env.RAS_TIMINGS !== '1') return () => undefined;
  let last = performance.now();
  return (step) => {
    const now = performance.now();
    process.stderr.write(`timing: ${((now - last) / 1000).toFixed(2)} s  ${step}\n`);
    last = now;
  };
}
