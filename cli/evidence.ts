import { checkFleet } from '../build/check';
import { endPhase, startPhase } from '../lib/progress';
import { writeEvidencePack } from '../report/pack';
import { collectProvenance } from '../report/provenance';
import { deployedReadings } from './deployed';
import { CONTRACT_OPTIONS, DEPLOYED_STATES_OPTION, JUDGED_OUTPUT_OPTIONS, contractPaths, parseArgs, QUIET_OPTION, single, startProgress, UsageError, type CommandSpec } from './args';

export const EVIDENCE_COMMAND: CommandSpec = {
  name: 'evidence',
  options: {
    ...CONTRACT_OPTIONS,
    out: { type: 'string', value: 'DIR|FILE.zip', description: 'where the evidence pack is written: a folder, or one .zip file (required)' },
    ...JUDGED_OUTPUT_OPTIONS,
    ...DEPLOYED_STATES_OPTION,
    ...QUIET_OPTION,
  },
  notes:
    'the pack: reports (HTML, Markdown, JSON and PDF, ja/en), results.json, catalog.json, suppressions.json, contracts.sha256, provenance.json and MANIFEST.sha256 (verify: sha256sum -c MANIFEST.sha256 inside the pack)\n' +
    'needs Debian\'s chromium for the PDFs (RAS_CHROMIUM to use another)\n' +
    'exit status: 0 once written, whatever the results say (ras check is the gate), 1 refused input, 2 usage error',
};

/** `ras evidence`: one evidence pack per audit; exits 0 once written, whatever it says (`ras check` is the gate). */
export async function runEvidence(argv: string[]): Promise<number> {
  const args = parseArgs(argv, EVIDENCE_COMMAND);
  const out = single(args, 'out');
  if (out === undefined || out === '') throw new UsageError('--out DIR|FILE.zip is required');
  startProgress('evidence', args);
  const paths = contractPaths(args);
  const from = single(args, 'from') ?? 'cdktf.out';
  const evaluation = checkFleet({
    paths,
    outdir: from,
    synth: !args.flags.has('no-synth'),
    suppressionsFile: single(args, 'suppressions'),
  });
  const deployed = deployedReadings(args, from);
  startPhase('writing the evidence pack (reports, PDFs, manifest)');
  const files = await writeEvidencePack(evaluation, collectProvenance(paths), out, deployed);
  endPhase();
  process.stdout.write(`${out}: evidence pack of ${evaluation.tenants.length} tenant(s), ${files.length} file(s); verify with: sha256sum -c MANIFEST.sha256 (inside the pack)\n`);
  return 0;
}
