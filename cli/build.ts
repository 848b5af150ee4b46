import { countTenantFiles } from '../contract/files';
import { BUILD_REGISTRY, type OpName } from '../build/ops';
import { checkWorkerSettings, threadCount, WorkerPool } from '../parallel/pool';
import type { BuildResult } from '../build/pipeline';
import { checkJson, checkText } from '../report/check-text';
import { endPhase } from '../lib/progress';
import { choice, CONTRACT_OPTIONS, contractPaths, parseArgs, QUIET_OPTION, single, startProgress, SUPPRESSIONS_OPTION, UsageError, type CommandSpec, type ParsedArgs } from './args';

export const OUTPUT_OPTIONS = {
  outdir: { type: 'string', value: 'DIR', description: 'synthesized output folder (default: cdktf.out)' },
  reports: { type: 'string', value: 'DIR', description: 'where the reports are written (default: reports)' },
  out: { type: 'string', value: 'DIR', description: 'DIR/cdktf.out and DIR/reports instead of --outdir and --reports' },
  format: { type: 'string', value: 'text|json', description: 'how findings are printed (default: text)' },
} as const;

export const BUILD_COMMAND: CommandSpec = {
  name: 'build',
  options: {
    ...CONTRACT_OPTIONS,
    ...OUTPUT_OPTIONS,
    ...SUPPRESSIONS_OPTION,
    shard: { type: 'string', value: 'I/N', description: 'build only the I-th of N shares of the tenants into --out DIR (with DIR/shard.json); ras merge joins the shards' },
    ...QUIET_OPTION,
  },
  notes: 'exit status: 0 every tenant passed, 1 a contract was refused or a finding, 2 usage error',
};

/** --out DIR, or --outdir and --reports (not both ways at once). */
export function outputFolders(args: ParsedArgs): { outdir: string; reportsDir: string; out?: string } {
  const out = single(args, 'out');
  const [outdir, reportsDir] = [single(args, 'outdir'), single(args, 'reports')];
  if (out === undefined) return { outdir: outdir ?? 'cdktf.out', reportsDir: reportsDir ?? 'reports' };
  if (outdir !== undefined || reportsDir !== undefined) throw new UsageError('--out names both folders: give it or --outdir/--reports, not both');
  return { outdir: `${out}/cdktf.out`, reportsDir: `${out}/reports`, out };
}

/** Prints what `ras build` prints; its exit status. */
export function printVerdict(args: ParsedArgs, result: BuildResult, reportsDir: string): number {
  const format = choice(args, 'format', ['text', 'json'], 'text');
  const reused = (result.reused ?? 0) > 0 ? ` (${result.reused} tenant(s) unchanged since the last build, kept)` : '';
  process.stderr.write(`${reportsDir}/: ${result.reportFiles} report file(s) written${reused}\n`);
  process.stdout.write(format === 'json' ? checkJson(result.verdict) : checkText(result.verdict));
  return result.verdict.tenants.every((t) => t.passed) ? 0 : 1;
}

/**
 * `ras build`: the whole CI job in one process: synthesize every tenant (Terraform, gateway
 * variables, portal settings), evaluate the rules, write the auditor reports, print the findings,
 * on every core (build/pipeline.ts). Exit status as `ras check`: 1 on any unsuppressed
 * non-compliance. Equivalent to `ras synth && ras report --no-synth && ras check --no-synth`,
 * without loading the fleet and reading every stack three times.
 * With --shard I/N: one share of the tenants, printing and exiting on that share's verdicts.
 */
export function runBuild(argv: string[]): number {
  const args = parseArgs(argv, BUILD_COMMAND);
  choice(args, 'format', ['text', 'json'], 'text');
  const folders = outputFolders(args);
  const shardText = single(args, 'shard');
  if (shardText !== undefined && folders.out === undefined) throw new UsageError('--shard writes a shard folder: give it with --out DIR');
  startProgress('build', args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseShard, ShardError } = require('../build/shard') as typeof import('../build/shard');
  let shard;
  try {
    shard = shardText === undefined ? undefined : { ...parseShard(shardText), record: `${folders.out}/shard.json` };
  } catch (e) {
    throw e instanceof ShardError ? new UsageError(e.message) : e;
  }
  const options = { paths: contractPaths(args), outdir: folders.outdir, reportsDir: folders.reportsDir, suppressionsFile: single(args, 'suppressions'), shard };
  // Started by buildFleet when it first has work to share, and closed by it whatever happens.
  checkWorkerSettings();
  const workers = () => new WorkerPool<OpName>(threadCount(countTenantFiles(options.paths.tenantsDir)) - 1, BUILD_REGISTRY, ['parse', 'build-chunks']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildFleet } = require('../build/pipeline') as typeof import('../build/pipeline');
  const result = buildFleet({ ...options, workers });
  endPhase();
  return printVerdict(args, result, folders.reportsDir);
}
