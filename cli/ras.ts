#!/usr/bin/env node
/**
 * `ras`: the product's command line. Thin: parses arguments, calls the same functions the tests
 * call, prints, and maps outcomes to exit codes (0 ok, 1 refused input or failed check, 2 usage).
 */
import { ContractError } from '../contract/problems';
import { NothingToCheckError } from '../policies/check';
import { SuppressionError } from '../policies/suppressions';
import { UnknownTenantError } from '../stacks/synth';
import { ReviewInputError } from '../review/errors';
import { UsageError } from './args';
import { runContractCommand } from './contract';
import { runServe } from './serve';
import { runCheck } from './check';
import { runReport } from './report';
import { runPlanReview } from './plan-review';
import { runSynth, runValidate } from './synth';

type Command = (argv: string[]) => Promise<number> | number;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  synth: { run: runSynth, summary: 'check all contracts, then synthesize Terraform (and gateway variables) into cdktf.out/' },
  validate: { run: runValidate, summary: 'check all contracts and report every problem; writes nothing' },
  contract: { run: runContractCommand, summary: 'apply a contract event (apply <file|->) or list terminated tenants due for purge (due)' },
  serve: { run: runServe, summary: 'HTTP endpoint for contract events (POST /events, HMAC-signed, loopback by default)' },
  check: { run: runCheck, summary: 'synthesize, then judge every tenant against the ISO/IEC 27017 rules (--tenant ID, --format text|json, --no-synth)' },
  report: { run: runReport, summary: 'write the auditor reports (HTML, Markdown, JSON; ja/en; fleet page) into reports/ (--outdir DIR)' },
  'plan-review': { run: runPlanReview, summary: 'compare base and head (folders or git refs) tenant by tenant: changes, risks, notices' },
};

const USAGE = `usage: ras <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`)
  .join('\n')}

common options:
  --fleet FILE       fleet settings file (default: fleet.yaml)
  --tenants DIR      folder of tenant contracts (default: tenants)
  --outdir DIR       output folder (default: cdktf.out; for report: reports)

check and report:
  --no-synth         judge the output already synthesized instead of synthesizing first
  --suppressions F   declared exceptions (default: policies/suppressions.yaml)
  --from DIR         (report) synthesized output to judge (default: cdktf.out)

exit status: 0 success, 1 a contract was refused or a check failed (plan-review: a risk was found), 2 usage error
             (ras plan-review --help for its options)
             (ras contract also: 3 conflict, 4 tenant locked, 5 synthesis failed; see docs/contract-events.md)`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`ras: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof ContractError) {
      process.stderr.write(`${e.message}\nNothing was written.\n`);
      return 1;
    }
    if (e instanceof SuppressionError || e instanceof NothingToCheckError) {
      process.stderr.write(`ras ${name}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError || e instanceof UnknownTenantError || e instanceof ReviewInputError) {
      process.stderr.write(`ras ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`ras: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
