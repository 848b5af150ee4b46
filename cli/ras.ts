#!/usr/bin/env node
/**
 * `ras`: the product's command line. Thin: parses arguments, calls the same functions the tests
 * call, prints, and maps outcomes to exit codes (0 ok, 1 refused input or failed check, 2 usage).
 */
import { DeployedStateError } from '../drift/deployed';
import { ContractError } from '../contract/problems';
import { OutputBusyError } from '../lib/output-dirs';
import { endPhase } from '../lib/progress';
import { WorkerError } from '../parallel/pool';
import { ShardError } from '../build/shard';
import { NothingToCheckError, SuppressionError } from '../policies/errors';
import { ReviewInputError } from '../review/errors';
import { UnknownTenantError } from '../stacks/errors';
import { HelpRequest, UsageError } from './args';
import { PdfError } from '../report/pdf';

type Command = (argv: string[]) => Promise<number> | number;

// Each command's module is loaded only when that command runs: start-up cost (cdktf, ajv schema
// compilation, the policy rules) is paid by the command that needs it, not by every invocation.
/* eslint-disable @typescript-eslint/no-require-imports */
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  synth: {
    run: (a) => (require('./synth') as typeof import('./synth')).runSynth(a),
    summary: 'check all contracts, then synthesize Terraform (and gateway variables) into cdktf.out/',
  },
  validate: {
    run: (a) => (require('./synth') as typeof import('./synth')).runValidate(a),
    summary: 'check all contracts and report every problem; writes nothing',
  },
  contract: {
    run: (a) => (require('./contract') as typeof import('./contract')).runContractCommand(a),
    summary: 'apply a contract event (apply <file|->) or list terminated tenants due for purge (due)',
  },
  serve: {
    run: (a) => (require('./serve') as typeof import('./serve')).runServe(a),
    summary: 'HTTP endpoint for contract events (POST /events, HMAC-signed, loopback by default)',
  },
  check: {
    run: (a) => (require('./check') as typeof import('./check')).runCheck(a),
    summary: 'synthesize, then judge every tenant against the ISO/IEC 27017 rules (--tenant ID, --format text|json, --no-synth)',
  },
  report: {
    run: (a) => (require('./report') as typeof import('./report')).runReport(a),
    summary: 'write the auditor reports (HTML, Markdown, JSON; ja/en; fleet page) into reports/ (--outdir DIR)',
  },
  evidence: {
    run: (a) => (require('./evidence') as typeof import('./evidence')).runEvidence(a),
    summary: 'one evidence pack per audit (--out DIR|pack.zip): reports and PDFs (ja/en), results, catalog, suppressions, contract hashes, SHA-256 manifest',
  },
  build: {
    run: (a) => (require('./build') as typeof import('./build')).runBuild(a),
    summary: 'the CI job in one process: synth, reports (--reports DIR), check; exit 1 on any finding',
  },
  merge: {
    run: (a) => (require('./merge') as typeof import('./merge')).runMerge(a),
    summary: 'join the folders of `ras build --shard I/N --out DIR` into one build\'s output, fleet page and verdict',
  },
  device: {
    run: (a) => (require('./device') as typeof import('./device')).runDeviceCommand(a),
    summary: 'device certificates per tenant: issue, reissue, suspend, resume, revoke, list (--expiring 30d), crl, metrics',
  },
  'plan-review': {
    run: (a) => (require('./plan-review') as typeof import('./plan-review')).runPlanReview(a),
    summary: 'compare base and head (folders or git refs) tenant by tenant: changes, risks, notices',
  },
  rollout: {
    run: (a) => (require('./rollout') as typeof import('./rollout')).runRolloutCommand(a),
    summary: "apply plan review's result in waves (canary first, growing, risk-flagged tenants held): a workflow (--workflow) or run here (--run CMD)",
  },
  drift: {
    run: (a) => (require('./drift') as typeof import('./drift')).runDrift(a),
    summary: 'compare deployed state (--states DIR) with the synthesized intent and judge it; exit 1 on drift',
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

const USAGE = `usage: ras <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(13)}${c.summary}`)
  .join('\n')}

ras <command> --help (or -h) prints that command's options.

exit status: 0 success, 1 a contract was refused or a check failed (plan-review: a risk was found), 2 usage error
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
    endPhase();
    if (e instanceof HelpRequest) {
      process.stdout.write(`${e.text}\n`);
      return 0;
    }
    if (e instanceof ContractError) {
      process.stderr.write(`${e.message}\nNothing was written.\n`);
      return 1;
    }
    if (e instanceof SuppressionError || e instanceof NothingToCheckError || e instanceof PdfError || e instanceof DeployedStateError || e instanceof ShardError) {
      process.stderr.write(`ras ${name}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ras ${name}: ${e.message}\n(ras ${name} --help lists its options)\n`);
      return 2;
    }
    if (e instanceof OutputBusyError) {
      process.stderr.write(`ras ${name}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof WorkerError) {
      // Back on the event loop: the worker's own 'error' event may now say why it died.
      await e.settle();
      process.stderr.write(`ras ${name}: ${e.message}\nThe previous output was left as it was.\n`);
      return 1;
    }
    if (e instanceof UnknownTenantError || e instanceof ReviewInputError) {
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
