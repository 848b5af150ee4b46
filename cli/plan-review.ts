/**
 * `ras plan-review`: base vs head, tenant by tenant. Exit status: 0 no risk (or no change),
 * 1 risk found, 2 usage or input error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildNotices, evaluateWithPolicies, loadSide, readPlanDocuments, renderMarkdown, reviewSides, writeNotices, type LoadedSide } from '../review';
import { endPhase } from '../lib/progress';
import { parseArgs, QUIET_OPTION, single, startProgress, usageLine, UsageError, type CommandSpec } from './args';

export const PLAN_REVIEW_COMMAND: CommandSpec = {
  name: 'plan-review',
  synopsis: '--base <dir|git-ref> --head <dir|git-ref> [options]',
  options: {
    base: { type: 'string', value: '<dir|git-ref>', description: 'the side before the change (see below)' },
    head: { type: 'string', value: '<dir|git-ref>', description: 'the side after the change (see below)' },
    plan: { type: 'string', multiple: true, value: 'T=FILE', description: 'Terraform plan document (terraform show -json) for tenant T' },
    plans: { type: 'string', value: 'DIR', description: 'plan documents as DIR/<tenant>.json' },
    format: { type: 'string', value: 'markdown|json', description: 'how the review is printed (default: markdown)' },
    out: { type: 'string', value: 'FILE', description: 'write the review there instead of standard output' },
    json: { type: 'string', value: 'FILE', description: 'also write the review as JSON' },
    notices: { type: 'string', value: 'DIR', description: 'write change notices (12.1.2) as DIR/<tenant>.ja.md and DIR/<tenant>.en.md' },
    window: { type: 'string', value: 'TEXT', description: 'when the work takes place, for the notices (default: to be announced)' },
    'no-rules': { type: 'boolean', description: 'skip the compliance rules (run on both sides by default, to flag newly failing ones)' },
    ...QUIET_OPTION,
  },
  notes: `--base and --head: a folder of synthesized output (cdktf.out, or a checkout holding cdktf.out/),
or a git ref, which is synthesized with that ref's own code and contracts.

exit status: 0 no risk found (or nothing changed), 1 risk found, 2 usage or input error`,
};

export function runPlanReview(argv: string[]): number {
  const args = parseArgs(argv, PLAN_REVIEW_COMMAND);
  const baseSpec = single(args, 'base');
  const headSpec = single(args, 'head');
  if (baseSpec === undefined || headSpec === undefined) throw new UsageError(`--base and --head are both required\n${usageLine(PLAN_REVIEW_COMMAND)}`);
  const format = single(args, 'format') ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') throw new UsageError(`--format ${format}: expected markdown or json`);

  startProgress('plan-review', args);
  const plans = readPlanDocuments(args.options.get('plan') ?? [], single(args, 'plans'));
  const log = (line: string) => {
    endPhase();
    process.stderr.write(`plan-review: ${line}\n`);
  };
  const sides: LoadedSide[] = [];
  try {
    sides.push(loadSide(baseSpec, { log }));
    sides.push(loadSide(headSpec, { log }));
    const review = reviewSides(sides[0], sides[1], { plans, evaluate: args.flags.has('no-rules') ? undefined : evaluateWithPolicies });
    endPhase();
    const notices = buildNotices(review, { window: single(args, 'window') });
    const json = `${JSON.stringify({ ...review, notices }, null, 2)}\n`;
    const text = format === 'json' ? json : renderMarkdown(review);
    const out = single(args, 'out');
    if (out !== undefined) write(out, text);
    else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    const jsonFile = single(args, 'json');
    if (jsonFile !== undefined) write(jsonFile, json);
    const noticesDir = single(args, 'notices');
    if (noticesDir !== undefined) log(`${writeNotices(notices, noticesDir).length} notice file(s) in ${noticesDir}`);
    log(review.tenants.length === 0 ? 'no changes' : `${review.tenants.length} tenant(s) change; ${review.risky ? 'RISK FOUND' : 'no risk found'}`);
    return review.risky ? 1 : 0;
  } finally {
    for (const s of sides) s.cleanup();
  }
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
