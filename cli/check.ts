import { checkFleet } from '../policies/check';
import { checkJson, checkText } from '../report/check-text';
import { choice, contractPaths, parseArgs, single, UsageError } from './args';

/** `ras check`: exit 1 on any unsuppressed non-compliance of the selected tenants, 0 otherwise. */
export function runCheck(argv: string[]): number {
  const args = parseArgs(argv, ['fleet', 'tenants', 'outdir', 'tenant', 'format', 'suppressions'], ['no-synth']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const format = choice(args, 'format', ['text', 'json'], 'text');
  const evaluation = checkFleet({
    paths: contractPaths(args),
    outdir: single(args, 'outdir'),
    synth: !args.flags.has('no-synth'),
    suppressionsFile: single(args, 'suppressions'),
    only: args.options.get('tenant'),
  });
  process.stdout.write(format === 'json' ? checkJson(evaluation) : checkText(evaluation));
  return evaluation.tenants.every((t) => t.passed) ? 0 : 1;
}
