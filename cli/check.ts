import { checkFleet } from '../build/check';
import { checkJson, checkText } from '../report/check-text';
import { endPhase } from '../lib/progress';
import { choice, CONTRACT_OPTIONS, contractPaths, parseArgs, QUIET_OPTION, single, startProgress, SUPPRESSIONS_OPTION, type CommandSpec } from './args';

export const CHECK_COMMAND: CommandSpec = {
  name: 'check',
  options: {
    ...CONTRACT_OPTIONS,
    outdir: { type: 'string', value: 'DIR', description: 'synthesized output folder (default: cdktf.out)' },
    tenant: { type: 'string', multiple: true, value: 'ID', description: 'judge only this tenant (all stacks are still synthesized)' },
    format: { type: 'string', value: 'text|json', description: 'how findings are printed (default: text)' },
    ...SUPPRESSIONS_OPTION,
    'no-synth': { type: 'boolean', description: 'judge the output already in --outdir instead of synthesizing first' },
    ...QUIET_OPTION,
  },
  notes: 'exit status: 0 no unsuppressed finding, 1 a finding (or invalid suppressions, or nothing synthesized), 2 usage error',
};

/** `ras check`: exit 1 on any unsuppressed non-compliance of the selected tenants, 0 otherwise. */
export function runCheck(argv: string[]): number {
  const args = parseArgs(argv, CHECK_COMMAND);
  const format = choice(args, 'format', ['text', 'json'], 'text');
  startProgress('check', args);
  const evaluation = checkFleet({
    paths: contractPaths(args),
    outdir: single(args, 'outdir'),
    synth: !args.flags.has('no-synth'),
    suppressionsFile: single(args, 'suppressions'),
    only: args.options.get('tenant'),
  });
  endPhase();
  process.stdout.write(format === 'json' ? checkJson(evaluation) : checkText(evaluation));
  return evaluation.tenants.every((t) => t.passed) ? 0 : 1;
}
