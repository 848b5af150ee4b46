/**
 * `ras rollout`: a change applied tenant by tenant in waves (rollout/waves.ts), from plan
 * review's result: printed as a plan, written as a GitHub Actions workflow (--workflow), or run
 * here (--run CMD, once per tenant with the tenant in $RAS_TENANT). Exit status: 0 the plan was
 * made (and, with --run, every wave passed), 1 a wave failed, 2 usage or input error.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { endPhase } from '../lib/progress';
import type { Review } from '../review/types';
import { parseArgs, QUIET_OPTION, single, startProgress, usageLine, UsageError, type CommandSpec, type ParsedArgs } from './args';

export const ROLLOUT_COMMAND: CommandSpec = {
  name: 'rollout',
  synopsis: '(--base <dir|git-ref> --head <dir|git-ref> | --review FILE) [options]',
  options: {
    base: { type: 'string', value: '<dir|git-ref>', description: 'the side before the change (as for ras plan-review)' },
    head: { type: 'string', value: '<dir|git-ref>', description: 'the side after the change' },
    review: { type: 'string', value: 'FILE', description: "plan review's JSON (ras plan-review --json FILE) instead of --base/--head" },
    canary: { type: 'string', value: 'N', description: 'tenants in the first wave (default: 1)' },
    growth: { type: 'string', value: 'F', description: 'each wave is F times the previous one (default: 2)' },
    'max-wave': { type: 'string', value: 'N', description: 'no wave larger than N (default: 50)' },
    parallel: { type: 'string', value: 'N', description: 'tenants of a wave applied at the same time (default: 5)' },
    workflow: { type: 'string', value: 'FILE', description: 'write the rollout as a GitHub Actions workflow' },
    step: { type: 'string', value: 'CMD', description: "the workflow's per-tenant command (default: terraform init + apply of the tenant's stack)" },
    run: { type: 'string', value: 'CMD', description: 'run the waves here: CMD through sh -c once per tenant, the tenant in $RAS_TENANT' },
    ...QUIET_OPTION,
  },
  notes: `Tenants with a risk flag in the review are held for approval: no wave runs them.
exit status: 0 plan made (with --run: every wave passed), 1 a wave failed, 2 usage or input error`,
};

function count(args: ParsedArgs, name: string): number | undefined {
  const text = single(args, name);
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--${name} ${text}: expected a number`);
  return Number(text);
}

function reviewOf(args: ParsedArgs): Review {
  const file = single(args, 'review');
  const [base, head] = [single(args, 'base'), single(args, 'head')];
  if (file !== undefined) {
    if (base !== undefined || head !== undefined) throw new UsageError('--review is the review of --base and --head: give one or the others');
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Review;
    } catch (e) {
      throw new UsageError(`--review ${file}: not plan review's JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (base === undefined || head === undefined) throw new UsageError(`--base and --head are both required (or --review)\n${usageLine(ROLLOUT_COMMAND)}`);
  /* eslint-disable @typescript-eslint/no-require-imports -- synthesizing a side loads cdktf: only when asked */
  const { evaluateWithPolicies, loadSide, reviewSides } = require('../review') as typeof import('../review');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const log = (line: string) => {
    endPhase();
    process.stderr.write(`rollout: ${line}\n`);
  };
  const sides = [loadSide(base, { log })];
  try {
    sides.push(loadSide(head, { log }));
    return reviewSides(sides[0], sides[1], { evaluate: evaluateWithPolicies });
  } finally {
    for (const s of sides) s.cleanup();
  }
}

export async function runRolloutCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ROLLOUT_COMMAND);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { planWaves, WaveOptionError } = require('../rollout/waves') as typeof import('../rollout/waves');
  const { rolloutWorkflow, DEFAULT_STEP } = require('../rollout/workflow') as typeof import('../rollout/workflow');
  const { runRollout } = require('../rollout/run') as typeof import('../rollout/run');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const options = { canary: count(args, 'canary'), growth: count(args, 'growth'), maxWave: count(args, 'max-wave'), parallel: count(args, 'parallel') };
  startProgress('rollout', args);
  const review = reviewOf(args);
  endPhase();
  let plan;
  try {
    plan = planWaves(review, options);
  } catch (e) {
    throw e instanceof WaveOptionError ? new UsageError(e.message) : e;
  }
  const lines = [
    `rollout ${plan.base} -> ${plan.head}: ${plan.waves.length} wave(s), at most ${plan.parallel} tenant(s) at a time; ${plan.held.length} held for approval`,
    ...plan.waves.map((w) => `  wave ${w.index}${w.index === 1 ? ' (canary)' : ''}: ${w.tenants.join(', ')}`),
    ...plan.held.map((h) => `  held: ${h.tenant} (${h.risks.join(', ')})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const workflow = single(args, 'workflow');
  if (workflow !== undefined) {
    mkdirSync(dirname(workflow), { recursive: true });
    writeFileSync(workflow, rolloutWorkflow(plan, single(args, 'step') ?? DEFAULT_STEP));
    process.stderr.write(`rollout: workflow written to ${workflow}\n`);
  }
  const command = single(args, 'run');
  if (command === undefined) return 0;
  const result = await runRollout(plan, command, (line) => process.stderr.write(`rollout: ${line}\n`));
  if (result.failed !== undefined) {
    process.stdout.write(
      `STOPPED at wave ${result.failed.wave}: ${result.failed.tenant} failed (exit ${result.failed.exitCode}); ${result.applied.length} tenant(s) applied, ${result.untouched.length} untouched: ${result.untouched.join(', ') || '(none)'}\n`,
    );
    return 1;
  }
  process.stdout.write(`done: ${result.applied.length} tenant(s) applied in ${plan.waves.length} wave(s); ${plan.held.length} held for approval\n`);
  return 0;
}
