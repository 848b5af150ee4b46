import { countTenantFiles } from '../contract/files';
import { threadCount, WorkerPool } from '../parallel/pool';
import { checkJson, checkText } from '../report/check-text';
import { choice, contractPaths, parseArgs, single, UsageError } from './args';

/**
 * `ras build`: the whole CI job in one process: synthesize every tenant (Terraform, gateway
 * variables, portal settings), evaluate the rules, write the auditor reports, print the findings,
 * on every core (build/pipeline.ts). Exit status as `ras check`: 1 on any unsuppressed
 * non-compliance. Equivalent to `ras synth && ras report --no-synth && ras check --no-synth`,
 * without loading the fleet and reading every stack three times.
 */
export function runBuild(argv: string[]): number {
  const args = parseArgs(argv, ['fleet', 'tenants', 'outdir', 'reports', 'format', 'suppressions']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const format = choice(args, 'format', ['text', 'json'], 'text');
  const reports = single(args, 'reports') ?? 'reports';
  const options = { paths: contractPaths(args), outdir: single(args, 'outdir'), reportsDir: reports, suppressionsFile: single(args, 'suppressions') };
  // Workers start before cdktf is loaded here, so they load theirs meanwhile (parallel/pool.ts);
  // buildFleet closes them whatever happens.
  const pool = new WorkerPool(threadCount(countTenantFiles(options.paths.tenantsDir)) - 1, ['parse', 'build-synth', 'build-judge']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildFleet } = require('../build/pipeline') as typeof import('../build/pipeline');
  const { verdict, reportFiles } = buildFleet({ ...options, pool });
  process.stderr.write(`${reports}/: ${reportFiles} report file(s) written\n`);
  process.stdout.write(format === 'json' ? checkJson(verdict) : checkText(verdict));
  return verdict.tenants.every((t) => t.passed) ? 0 : 1;
}
