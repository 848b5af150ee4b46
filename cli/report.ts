import { checkFleet } from '../policies/check';
import { writeReports } from '../report/write';
import { contractPaths, parseArgs, single, UsageError } from './args';

/** `ras report`: writes the auditor reports; exits 0 once written, whatever they say (`ras check` is the gate). */
export function runReport(argv: string[]): number {
  const args = parseArgs(argv, ['fleet', 'tenants', 'outdir', 'from', 'suppressions'], ['no-synth']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const evaluation = checkFleet({
    paths: contractPaths(args),
    outdir: single(args, 'from'),
    synth: !args.flags.has('no-synth'),
    suppressionsFile: single(args, 'suppressions'),
  });
  const dir = single(args, 'outdir') ?? 'reports';
  const files = writeReports(evaluation, dir);
  for (const t of evaluation.tenants) {
    process.stdout.write(`${dir}/${t.tenant}/report.{en,ja}.{html,md}, report.json  (${t.passed ? 'passed' : 'FAILED'}${t.scope.inScope ? '' : ', out of ISO/IEC 27017 scope'})\n`);
  }
  process.stdout.write(`${dir}/index.{en,ja}.html: fleet overview; ${files.length} file(s) written\n`);
  return 0;
}
