/**
 * `ras merge`: the shards of one fleet (build/shard.ts) put together into what the one-process
 * `ras build` writes and prints: every tenant stack, the fleet stacks, the image pipeline (fleet/),
 * monitoring/, the merged manifest.json, every tenant's reports and the fleet page, and the check
 * verdict (test/build-shard.test.ts compares them byte for byte).
 * The shards must be all N of one split of the same fleet, contracts, settings and suppressions;
 * anything else is refused before anything is written.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetVerdict } from '../policies/evaluate';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { writeFleetReport } from '../report/write';
import { readManifest, writeMergedManifest } from '../stacks/manifest';
import type { FleetModel } from '../contract/model';
import { synthFleetStacks } from '../stacks/fleet-synth';
import { writeFleetOutputs } from './fleet-outputs';
import { REPORT_FILES, type BuildResult } from './pipeline';
import { SHARD_FORMAT, ShardError, type ShardRecord } from './shard';

/** What a shard's `--out DIR` holds. */
export function shardLayout(dir: string): { outdir: string; reportsDir: string; record: string } {
  return { outdir: join(dir, 'cdktf.out'), reportsDir: join(dir, 'reports'), record: join(dir, 'shard.json') };
}

function readRecord(dir: string): ShardRecord {
  const file = shardLayout(dir).record;
  let record: ShardRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as ShardRecord;
  } catch (e) {
    throw new ShardError(`${file}: not a shard record (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is ${dir} the --out folder of a \`ras build --shard\`?`);
  }
  if (record?.format !== SHARD_FORMAT) throw new ShardError(`${file}: format ${JSON.stringify(record?.format)}, expected ${SHARD_FORMAT} (shards from another version of ras)`);
  return record;
}

/** The records of `dirs`, in shard order, once they are shown to be one whole split of one fleet. */
export function readShards(dirs: readonly string[]): { dir: string; record: ShardRecord }[] {
  if (dirs.length === 0) throw new ShardError('no shard folders given');
  const shards = dirs.map((dir) => ({ dir, record: readRecord(dir) })).sort((a, b) => a.record.shard.index - b.record.shard.index);
  const [first] = shards;
  for (const { dir, record } of shards) {
    if (record.shard.count !== shards.length) {
      throw new ShardError(`${dir} is shard ${record.shard.index}/${record.shard.count}, but ${shards.length} shard folder(s) were given`);
    }
    if (record.fleet.digest !== first.record.fleet.digest) {
      throw new ShardError(`${dir} was built from other contracts, fleet settings or suppressions than ${first.dir}`);
    }
    const code = (r: ShardRecord) => JSON.stringify([r.provenance.tool, r.provenance.code]);
    if (code(record) !== code(first.record)) throw new ShardError(`${dir} was built by other code than ${first.dir} (${code(record)} against ${code(first.record)})`);
  }
  shards.forEach(({ dir, record }, i) => {
    if (record.shard.index !== i + 1) throw new ShardError(`shard ${i + 1}/${shards.length} is missing (${dir} is shard ${record.shard.index} too)`);
  });
  const tenants = shards.reduce((n, s) => n + s.record.verdicts.length, 0);
  if (tenants !== first.record.fleet.tenants) throw new ShardError(`the shards hold ${tenants} tenant(s), the fleet ${first.record.fleet.tenants}`);
  return shards;
}

export interface MergeOptions {
  readonly outdir: string;
  readonly reportsDir: string;
}

export function mergeShards(dirs: readonly string[], options: MergeOptions): BuildResult {
  const shards = readShards(dirs);
  const { outdir, reportsDir } = options;
  const staging = { out: stagingDir(outdir), reports: stagingDir(reportsDir) };
  const unlock = lockOutputs([outdir, reportsDir]);
  try {
    for (const dir of [staging.out, staging.reports]) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    mkdirSync(join(staging.out, 'stacks'));
    for (const { dir } of shards) {
      const from = shardLayout(dir);
      for (const name of readdirSync(join(from.outdir, 'stacks'))) cpSync(join(from.outdir, 'stacks', name), join(staging.out, 'stacks', name), { recursive: true });
      for (const name of readdirSync(from.reportsDir)) cpSync(join(from.reportsDir, name), join(staging.reports, name), { recursive: true });
    }
    // A shard with no tenant (more shards than tenants) has no manifest.
    writeMergedManifest(staging.out, shards.flatMap(({ dir }) => readManifest(shardLayout(dir).outdir) ?? []));

    const { suppressions } = shards[0].record;
    const used = new Set(shards.flatMap((s) => s.record.used));
    const verdict: FleetVerdict = {
      tenants: shards.flatMap((s) => s.record.verdicts),
      suppressions,
      unusedSuppressions: suppressions.filter((_, i) => !used.has(i)),
    };
    // What one ras build writes from the whole fleet: its own stacks, image pipeline and
    // monitoring/ (every tenant's scrape target, from the records), and the fleet page.
    const { settings } = shards[0].record;
    const fleet: FleetModel = { settings, sourceFile: '', tenants: [] };
    synthFleetStacks(fleet, staging.out);
    writeFleetOutputs(staging.out, fleet, { targets: shards.flatMap((s) => s.record.targets) });
    // The shards agree on the time when SOURCE_DATE_EPOCH is set (as CI should); else the latest.
    const provenance = { ...shards[0].record.provenance, generatedAt: shards.map((s) => s.record.provenance.generatedAt).sort().at(-1)! };
    const fleetFiles = writeFleetReport(verdict, staging.reports, provenance);
    replaceWhole(staging.out, outdir);
    replaceWhole(staging.reports, reportsDir);
    return { verdict, reportFiles: fleetFiles.length + verdict.tenants.length * REPORT_FILES };
  } finally {
    for (const dir of Object.values(staging)) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    unlock();
  }
}
