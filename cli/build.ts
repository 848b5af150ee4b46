import { countTenantFiles } from '../contract/files';
import { BUILD_REGISTRY, type OpName } from '../build/ops';
import { threadCount, WorkerPool } from '../parallel/pool';
import { checkJson, checkText } from '../report/check-text';
import { endPhase } from '../lib/progress';
import { choice, CONTRACT_OPTIONS, contractPaths, parseArgs, QUIET_OPTION, single, startProgress, SUPPRESSIONS_OPTION, type CommandSpec } from './args';

export const BUILD_COMMAND: CommandSpec = {
  name: 'build',
  options: {
    ...CONTRACT_OPTIONS,
    outdir: { type: 'string', value: 'DIR', description: 'synthesized output folder (default: cdktf.out)' },
    reports: { type: 'string', value: 'DIR', description: 'where the reports are written (default: reports)' },
    format: { type: 'string', value: 'text|json', description: 'how findings are printed (default: text)' },
    ...SUPPRESSIONS_OPTION,
    ...QUIET_OPTION,
  },
  notes: 'exit status: 0 every tenant passed, 1 a contract was refused or a finding, 2 usage error',
};

/**
 * `ras build`: the whole CI job in one process: synthesize every tenant (Terraform, gateway
 * variables, portal settings), evaluate the rules, write the auditor reports, print the findings,
 * on every core (build/pipeline.ts). Exit status as `ras check`: 1 on any unsuppressed
 * non-compliance. Equivalent to `ras synth && ras report --no-synth && ras check --no-synth`,
 * without loading the fleet and reading every stack three times.
 */
export function runBuild(argv: string[]): number {
  const args = parseArgs(argv, BUILD_COMMAND);
  const format = choice(args, 'format', ['text', 'json'], 'text');
  const reports = single(args, 'reports') ?? 'reports';
  startProgress('build', args);
  const options = { paths: contractPaths(args), outdir: single(args, 'outdir'), reportsDir: reports, suppressionsFile: single(args, 'suppressions') };
  // Workers start before cdktf is loaded here, so they load theirs meanwhile (parallel/pool.ts);
  // buildFleet closes them whatever happens.
  const pool = new WorkerPool<OpName>(threadCount(countTenantFiles(options.paths.tenantsDir)) - 1, BUILD_REGISTRY, ['parse', 'build-synth', 'build-judge']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildFleet } = require('../build/pipeline') as typeof import('../build/pipeline');
  const { verdict, reportFiles } = buildFleet({ ...options, pool });
  endPhase();
  process.stderr.write(`${reports}/: ${reportFiles} report file(s) written\n`);
  process.stdout.write(format === 'json' ? checkJson(verdict) : checkText(verdict));
  return verdict.tenants.every((t) => t.passed) ? 0 : 1;
}
