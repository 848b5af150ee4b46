import { checkFleet } from '../build/check';
import { collectProvenance } from '../report/provenance';
import { writeReports } from '../report/write';
import { endPhase } from '../lib/progress';
import { deployedReadings } from './deployed';
import { CONTRACT_OPTIONS, DEPLOYED_STATES_OPTION, JUDGED_OUTPUT_OPTIONS, contractPaths, parseArgs, QUIET_OPTION, single, startProgress, type CommandSpec } from './args';

export const REPORT_COMMAND: CommandSpec = {
  name: 'report',
  options: {
    ...CONTRACT_OPTIONS,
    outdir: { type: 'string', value: 'DIR', description: 'where the reports are written (default: reports)' },
    ...JUDGED_OUTPUT_OPTIONS,
    ...DEPLOYED_STATES_OPTION,
    ...QUIET_OPTION,
  },
  notes: 'exit status: 0 once written, whatever the reports say (ras check is the gate), 1 refused input, 2 usage error',
};

/** `ras report`: writes the auditor reports; exits 0 once written, whatever they say (`ras check` is the gate). */
export function runReport(argv: string[]): number {
  const args = parseArgs(argv, REPORT_COMMAND);
  startProgress('report', args);
  const paths = contractPaths(args);
  const from = single(args, 'from') ?? 'cdktf.out';
  const evaluation = checkFleet({
    paths,
    outdir: from,
    synth: !args.flags.has('no-synth'),
    suppressionsFile: single(args, 'suppressions'),
  });
  const deployed = deployedReadings(args, from);
  const dir = single(args, 'outdir') ?? 'reports';
  const files = writeReports(evaluation, dir, collectProvenance(paths), deployed);
  endPhase();
  for (const t of evaluation.tenants) {
    const d = deployed.get(t.tenant);
    const drift = d === undefined ? '' : `; deployed state: ${d.differences.length} difference(s), ${d.evaluation.passed ? 'passed' : 'FAILED'}`;
    process.stdout.write(`${dir}/${t.tenant}/report.{en,ja}.{html,md}, report.json  (${t.passed ? 'passed' : 'FAILED'}${t.scope.inScope ? '' : ', out of ISO/IEC 27017 scope'}${drift})\n`);
  }
  process.stdout.write(`${dir}/index.{en,ja}.html: fleet overview; ${files.length} file(s) written\n`);
  return 0;
}
