/**
 * `ras build` as one pass over the fleet: every thread takes chunks of tenants (stacks/chunks.ts)
 * and synthesizes, reads back, judges and reports on the tenants it took (build/per-thread.ts);
 * only verdicts cross threads. Output is the same, byte for byte, as `ras synth`, then
 * `ras report`, then `ras check` on one thread (test/build.test.ts).
 *
 * With a shard (build/shard.ts) it does the same for its share of the tenants (every contract is
 * still loaded and checked, and the fleet-wide rules still see every tenant's claims) and writes
 * a shard record instead of the fleet page; `ras merge` puts the shards together.
 *
 * Both output folders are written aside and swapped in at the end: a failure at any step leaves
 * the previous stacks and reports as they were.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { tenantFiles } from '../contract/files';
import { DEFAULT_PATHS, loadFleet, type ContractPaths } from '../contract/load';
import { ParseCache, parseForCache, type CacheEntry } from '../contract/parse-cache';
import { PassedChecks } from '../contract/passed-checks';
import { NothingToCheckError } from '../policies/errors';
import type { FleetVerdict } from '../policies/evaluate';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions } from '../policies/suppressions';
import { collectProvenance, ownContractFiles, provenanceOf } from '../report/provenance';
import { FLEET_PAGE_FILE, fleetPageTenants } from '../report/fleet-pages';
import { writeFleetReport } from '../report/write';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { endPhase, startPhase } from '../lib/progress';
import { defaultRolesDir, productRolesDir } from '../lib/product-roles';
import { writeFleetOutputs } from './fleet-outputs';
import { PARALLEL_MIN_TENANTS, WorkerPool } from '../parallel/pool';
import { BUILD_REGISTRY, type BuildPool } from './ops';
import { cancelChunks, chunksDone, mergeChunks, naming, planChunks } from '../stacks/chunks';
import { buildChunks, indexOf, readChunkRecords, type BuildChunkArgs } from './per-thread';
import { codeDigest, dropState, readState, reusable, stateFile, StateWriter, tenantKey, treeDigest, type TenantRecord } from './incremental';
import { readManifest, writeMergedManifest } from '../stacks/manifest';
import { fleetStackName } from '../lib/fleet-stack-name';
import { fleetDigest, SHARD_FORMAT, shareOf, tenantDigest, type Shard, type ShardRecord } from './shard';

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
  /**
   * Starts the worker threads, when the build first has work to share (a cold parse, or at least
   * PARALLEL_MIN_TENANTS tenants to build); they are closed at the end. Started at once, a worker
   * loading its modules beside this thread cost a one-changed-contract build ~0.2 s at 10,000
   * tenants on two cores, and it had nothing to do. @default - none: everything on this thread
   */
  readonly workers?: () => BuildPool;
  /**
   * Build only this share of the tenants, and write its record to `record` instead of the fleet
   * page. @default - the whole fleet
   */
  readonly shard?: Shard & { readonly record: string };
}

export interface BuildResult {
  readonly verdict: FleetVerdict;
  /** Report files written: five per tenant, five for the fleet (none for the fleet in a shard). */
  readonly reportFiles: number;
  /** Tenants whose output of the last build was kept (build/incremental.ts). @default 0 */
  readonly reused?: number;
}

/** Report files per tenant, and for the fleet page. */
export const REPORT_FILES = 5;

export function buildFleet(options: BuildOptions = {}): BuildResult {
  let started: BuildPool | undefined;
  const workers = (): BuildPool => (started ??= options.workers?.() ?? new WorkerPool(0, BUILD_REGISTRY));
  const lap = stopwatch();
  const paths = options.paths ?? DEFAULT_PATHS;
  const outdir = options.outdir ?? 'cdktf.out';
  const reportsDir = options.reportsDir ?? 'reports';
  const staging = { out: stagingDir(outdir), reports: stagingDir(reportsDir), fleetStacks: `${stagingDir(outdir)}.fleet`, records: `${stagingDir(outdir)}.records` };
  let unlock = () => undefined as void;
  let next: StateWriter | undefined;
  try {
    // Refused while another run writes either folder; what an interrupted run left is cleared.
    unlock = lockOutputs([outdir, reportsDir]);
    startPhase('checking contracts');
    const suppressions = loadSuppressions(options.suppressionsFile ?? DEFAULT_SUPPRESSIONS_FILE, ISO27017_PACK.map((e) => e.id));
    // One read of each contract file for the parse cache, the load and the reports' digests.
    const contracts = parsedEverywhere(workers, paths.tenantsDir);
    const provenance = collectProvenance(paths, process.env, (file) => contracts.read(file).sha256);
    const code = codeDigest();
    // A contract that passed its own checks under this code and these fleet settings is not checked
    // again; and a build loads once, so keeps no parse for a later load.
    const fleet = loadFleet(paths, undefined, contracts, { passed: new PassedChecks(paths.tenantsDir, code), once: true });
    if (fleet.tenants.length === 0) throw new NothingToCheckError(`no tenant contracts in ${paths.tenantsDir}`);
    lap('contracts loaded and checked');
    for (const dir of [staging.out, staging.reports]) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    // Name order, as the reports and the check list tenants; chunks are contiguous runs of it.
    const sorted = [...fleet.tenants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const selected = options.shard === undefined ? sorted : shareOf(sorted, options.shard);
    const rolesDir = options.rolesDir ?? defaultRolesDir();

    // Incremental: the tenants whose output of the last build can stand (build/incremental.ts).
    // Each previous record is judged as it is read; a kept one goes on, line as it was, into the
    // next state, and only what the fleet's own outputs need of it stays in memory.
    const stateAt = stateFile(paths.tenantsDir, outdir, reportsDir);
    // Fleet settings include the recorded fleet outputs (contract/fleet-outputs.ts); the product's
    // roles give the scrape targets' defaults (monitoring/write.ts); the tenants a fleet page holds
    // decide which of the fleet page's pages a build may keep.
    const fleetKey = [code, JSON.stringify(fleet.settings), treeDigest(rolesDir), treeDigest(productRolesDir()), `fleet page ${fleetPageTenants()}`].join('\0');
    const { index } = indexOf(fleet);
    const ownSuppressions = (id: string) => suppressions.filter((s) => s.tenant === id);
    // What every tenant's reports show of the provenance but its own contract: stringified once, not per tenant.
    const tenantsKey = `${fleetKey}\0${JSON.stringify(provenanceOf(provenance, []))}`;
    const keys = new Map(selected.map((t) => [t.id, tenantKey(tenantsKey, t.sourceFile, ownSuppressions(t.id), ownContractFiles(provenance, t.id))]));
    const records = new Map<string, Kept>();
    next = new StateWriter(stateAt);
    const state = next;
    const before = new Set<string>();
    readState(stateAt, outdir, reportsDir, (id, record, line) => {
      before.add(id);
      const key = keys.get(id);
      if (key === undefined || records.has(id) || !reusable(record, key, index)) return;
      records.set(id, kept(record));
      state.keep(line);
    });
    const rebuild = selected.filter((t) => !records.has(t.id));
    const reused = records.size;
    const keptTenants: ReadonlySet<string> = new Set(records.keys());
    // The same tenants as the last build: the fleet page's pages hold the same tenants as then, so
    // a page of kept tenants is what this build would write again (report/fleet-pages.ts).
    const samePages = before.size === selected.length && selected.every((t) => before.has(t.id));
    lap(`${reused} tenant(s) reused from the last build, ${rebuild.length} to build`);

    const plan = planChunks(rebuild);
    // A tenant kept means the last build had this fleet key (code, fleet settings, roles), and its
    // output is as it left it: its fleet stacks and image pipeline are what they would be again, so
    // they stay and cdktf is never loaded on this thread (a shard's output has none of its own).
    const fleetKept = reused > 0 && options.shard === undefined;
    // The fleet stacks first, aside: the rules judge each tenant's state backend by the fleet stack
    // that makes it (TerraformRunsAreRecorded); the output gets its own copy at the end.
    if (rebuild.length > 0 && !fleetKept) {
      mkdirSync(staging.fleetStacks, { recursive: true });
      fleetSynth().synthFleetStacks(fleet, staging.fleetStacks);
    }
    const fleetStacksDir = fleetKept ? join(outdir, 'stacks') : join(staging.fleetStacks, 'stacks');
    mkdirSync(staging.records, { recursive: true });
    const args: BuildChunkArgs = { fleet, outdir: staging.out, plan, rolesDir, fleetStacksDir, suppressions, reportsDir: staging.reports, provenance, recordsDir: staging.records };
    startPhase('building', plan.tenants, () => chunksDone(plan));
    // A worker would only wait: with no tenant to build (an empty shard, nothing changed) nothing is
    // sent; with a few (a changed contract), this thread builds them, as sending the fleet to a
    // worker costs more than they do (measured: 1.5 s of a 10,000-tenant fleet for one tenant).
    const here = rebuild.length < PARALLEL_MIN_TENANTS;
    const built: number[][] =
      rebuild.length === 0 ? [] : naming(plan, () => (here ? [buildChunks(args)] : workers().everywhere({ op: 'build-chunks', args }, () => buildChunks(args), () => cancelChunks(plan))));
    endPhase();
    // The workers have done their share: their heaps go now, not after the fleet's own outputs
    // (measured: ~300 MB more peak at 7,600 tenants while the fleet page was written beside them).
    started?.close();
    lap(`synthesized, judged, tenant reports written (chunks per thread: ${built.map((chunks) => chunks.length).join(', ')})`);
    if (rebuild.length > 0) mergeChunks(staging.out, plan);
    else mkdirSync(join(staging.out, 'stacks'));
    // Each chunk's records, in chunk order: into the next state whole, into memory what the fleet needs.
    for (let k = 0; k < plan.ids.length; k++) {
      for (const { tenant, ...judged } of readChunkRecords(staging.records, k)) {
        const record: TenantRecord = { key: keys.get(tenant)!, ...judged };
        state.add(tenant, record);
        records.set(tenant, kept(record));
      }
    }
    rmSync(staging.records, { recursive: true, force: true });

    const used = new Set(selected.flatMap((t) => records.get(t.id)!.used.map((s) => JSON.stringify(s))));
    const verdict: FleetVerdict = {
      tenants: selected.map((t) => records.get(t.id)!.verdict),
      suppressions,
      unusedSuppressions: suppressions.filter((s) => !used.has(JSON.stringify(s))),
    };
    if (options.shard !== undefined) {
      const { index: i, count } = options.shard;
      const record: ShardRecord = {
        format: SHARD_FORMAT,
        shard: { index: i, count },
        fleet: { tenants: sorted.length, digest: fleetDigest(fleet, suppressions, sorted.map(tenantDigest)) },
        settings: fleet.settings,
        provenance,
        verdicts: verdict.tenants,
        targets: selected.map((t) => records.get(t.id)!.target),
        suppressions,
        used: suppressions.flatMap((s, n) => (used.has(JSON.stringify(s)) ? [n] : [])),
      };
      mkdirSync(dirname(options.shard.record), { recursive: true });
      writeFileSync(options.shard.record, `${JSON.stringify(record)}\n`);
    }
    dropState(stateAt);
    // The fleet's own outputs, from every tenant's recorded target (a shard leaves them to ras merge).
    const finish = (out: string, reports: string): number => {
      if (options.shard !== undefined) return 0;
      const targets = selected.map((t) => records.get(t.id)!.target);
      if (fleetKept) writeFleetOutputs(out, fleet, { rolesDir: options.rolesDir, targets, kept: { tenants: keptTenants } });
      else {
        fleetSynth().synthFleetStacks(fleet, out);
        writeFleetOutputs(out, fleet, { rolesDir: options.rolesDir, targets });
      }
      const keep = (tenants: readonly string[]) => reports === reportsDir && samePages && tenants.every((id) => keptTenants.has(id));
      return writeFleetReport(verdict, reports, provenance, new Map(), keep).length;
    };
    let fleetFiles = 0;
    if (reused === 0) {
      // Nothing reused: the new output replaces the old whole.
      fleetFiles = finish(staging.out, staging.reports);
      replaceWhole(staging.out, outdir);
      replaceWhole(staging.reports, reportsDir);
    } else {
      const fleetStacks = fleetKept ? Object.keys(fleet.settings.regions).map(fleetStackName) : [];
      commitInPlace(staging, { outdir, reportsDir }, rebuild.map((t) => t.id), new Set([...selected.map((t) => t.id), ...fleetStacks]), samePages);
      fleetFiles = finish(outdir, reportsDir);
    }
    state.commit(outdir, reportsDir);
    lap('fleet report written, output swapped in');
    return { verdict, reportFiles: fleetFiles + verdict.tenants.length * REPORT_FILES, reused };
  } finally {
    next?.discard();
    endPhase();
    started?.close();
    for (const dir of Object.values(staging)) rmSync(dir, { recursive: true, force: true });
    unlock();
  }
}

/**
 * Moves the rebuilt tenants' stacks and reports into the previous output, one tenant at a time,
 * removes what belongs to no tenant of this build (a tenant that left, the fleet page, leftovers;
 * the fleet page's pages stay when `keepPages`: the same tenants as the last build's)
 * and merges the manifest. `keep` names the tenants, and the fleet stacks when they stay. The
 * fleet page is written after.
 */
function commitInPlace(staging: { out: string; reports: string }, target: { outdir: string; reportsDir: string }, rebuilt: readonly string[], keep: ReadonlySet<string>, keepPages: boolean): void {
  const swap = (from: string, to: string) => {
    const old = `${to}.old-${process.pid}`;
    if (existsSync(to)) renameSync(to, old);
    renameSync(from, to);
    rmSync(old, { recursive: true, force: true });
  };
  for (const id of rebuilt) {
    swap(join(staging.out, 'stacks', id), join(target.outdir, 'stacks', id));
    swap(join(staging.reports, id), join(target.reportsDir, id));
  }
  // Entries with their types: a stat per tenant's report folder cost ~0.1 s at 10,000 tenants.
  for (const [dir, isTenant] of [
    [join(target.outdir, 'stacks'), (e: Dirent) => keep.has(e.name)],
    [target.reportsDir, (e: Dirent) => (keep.has(e.name) && e.isDirectory()) || (keepPages && FLEET_PAGE_FILE.test(e.name))],
  ] as const) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (!isTenant(entry)) rmSync(join(dir, entry.name), { recursive: true, force: true });
  }
  const before = readManifest(target.outdir);
  const kept = Object.fromEntries(Object.entries(before?.stacks ?? {}).filter(([id]) => keep.has(id)));
  const parts = [readManifest(staging.out)].flatMap((m) => (m === undefined ? [] : [m]));
  // A rebuilt tenant's entry is most often what it was (its stack's name and files): then, with
  // no stack gone, the manifest stands as written (writing 10,000 stacks' entries cost ~0.1 s).
  const same =
    before !== undefined &&
    Object.keys(kept).length === Object.keys(before.stacks).length &&
    parts.every((p) => Object.entries(p.stacks).every(([id, entry]) => Object.hasOwn(before.stacks, id) && JSON.stringify(entry) === JSON.stringify(before.stacks[id])));
  if (!same) writeMergedManifest(target.outdir, parts, before === undefined ? undefined : { ...before, stacks: kept });
}

/**
 * The tenants folder's parse cache, with every contract it lacks parsed: a share on each thread.
 * Parsing YAML with positions is most of a cold load (~1 ms a file); the checks stay in loadFleet.
 */
function parsedEverywhere(workers: () => BuildPool, tenantsDir: string): ParseCache {
  const cache = new ParseCache(tenantsDir);
  if (!existsSync(tenantsDir)) return cache;
  // Every file is read here once, for the load too (ParseCache.read).
  const cold = cache.missing(tenantFiles(tenantsDir));
  if (cold.length < PARALLEL_MIN_TENANTS) return cache;
  const pool = workers();
  if (pool.size === 0) return cache;
  const share = Math.ceil(cold.length / (pool.size + 1));
  pool.send(Array.from({ length: pool.size }, (_, i) => ({ op: 'parse', args: cold.slice((i + 1) * share, (i + 2) * share) })));
  cache.add(parseForCache(cold.slice(0, share)));
  for (const entries of pool.collect<CacheEntry[]>()) cache.add(entries);
  return cache;
}

/** cdktf and the fleet stacks' constructs, loaded only when a fleet stack is synthesized (~0.4 s). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fleetSynth = () => require('../stacks/fleet-synth') as typeof import('../stacks/fleet-synth');

/** What the fleet's own outputs (fleet page, check output, monitoring/, shard record) need of a tenant's record. */
type Kept = Pick<TenantRecord, 'verdict' | 'used' | 'target'>;

function kept(record: TenantRecord): Kept {
  return { verdict: record.verdict, used: record.used, target: record.target };
}

/** RAS_TIMINGS=1: each step's wall time on stderr, to see where a build's time goes. */
export function stopwatch(): (step: string) => void {
  if (process.env.RAS_TIMINGS !== '1') return () => undefined;
  let last = performance.now();
  return (step) => {
    const now = performance.now();
    process.stderr.write(`timing: ${((now - last) / 1000).toFixed(2)} s  ${step}\n`);
    last = now;
  };
}
