/**
 * `ras contract apply <file|->` and `ras contract due`: thin wrappers over events/ that
 * parse arguments, print results and return exit codes (see docs/contract-events.md).
 */
import { readFileSync } from 'node:fs';
import { applyEventText, DEFAULT_LOCK_TIMEOUT_MS, type ApplyOptions, type ApplyResult } from '../events/apply';
import { splitEvents } from '../events/batch';
import { listDue, listPurged, type DueTenant, type PurgedTenant } from '../events/due';
import { synthesizeAllOwed } from '../events/owed';
import { EventState } from '../events/state';
import { EventError, EXIT } from '../events/errors';
import { isCalendarDate, todayInJapan } from '../lib/calendar';
import { ContractError } from '../contract/problems';
import { CONTRACT_OPTIONS, contractPaths, HelpRequest, helpText, parseArgs, single, usageLine, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { stackSynthesizer } from './synth-hook';

/** Options every subcommand takes. */
const COMMON = {
  ...CONTRACT_OPTIONS,
  state: { type: 'string', value: 'DIR', description: 'state folder: audit log, applied events, locks (default: $RAS_STATE_DIR or state)' },
  outdir: { type: 'string', value: 'DIR', description: 'synthesized output folder (default: cdktf.out)' },
} as const;

const EXIT_NOTES = 'exit status: 0 ok, 1 refused input, 2 usage error, 3 conflict, 4 tenant locked, 5 synthesis failed (docs/contract-events.md)';

export const CONTRACT_APPLY_COMMAND: CommandSpec = {
  name: 'contract apply',
  positionals: '<events|->',
  options: {
    ...COMMON,
    'no-synth': { type: 'boolean', description: 'do not synthesize the tenant afterwards (run ras synth before deploying)' },
    json: { type: 'boolean', description: 'print each result (or refusal) as JSON' },
    'lock-timeout': { type: 'string', value: 'MS', description: `how long to wait for the tenant's lock (default: ${DEFAULT_LOCK_TIMEOUT_MS})` },
  },
  notes: `Applies one event, or a stream (JSON array or one event per line), from a file or standard input (-).\n${EXIT_NOTES}`,
};

export const CONTRACT_DUE_COMMAND: CommandSpec = {
  name: 'contract due',
  options: {
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'the day to judge (default: today in Japan)' },
    within: { type: 'string', value: 'DAYS', description: 'also list windows ending within this many days (default: 0)' },
    ...COMMON,
    json: { type: 'boolean', description: 'print the list as JSON' },
  },
  notes: `Lists terminated tenants whose erasure window has ended (or soon ends), and purged tenants awaiting terraform destroy; first re-synthesizes any stack an interrupted apply left behind its contract.\n${EXIT_NOTES}`,
};

const USAGE = `${usageLine(CONTRACT_APPLY_COMMAND)}
${usageLine(CONTRACT_DUE_COMMAND)}
(ras contract apply --help, ras contract due --help: their options)`;

export async function runContractCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'apply') return await apply(rest);
    if (sub === 'due') return await due(rest);
    if (sub === '--help' || sub === '-h' || sub === 'help') throw new HelpRequest(`${helpText(CONTRACT_APPLY_COMMAND)}\n\n${helpText(CONTRACT_DUE_COMMAND)}`);
    throw new UsageError(sub === undefined ? 'which subcommand? (apply or due)' : `unknown subcommand "${sub}"`);
  } catch (e) {
    if (e instanceof HelpRequest) {
      process.stdout.write(`${e.text}\n`);
      return EXIT.ok;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ras contract: ${e.message}\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (e instanceof ContractError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.failure;
    }
    process.stderr.write(`ras contract: ${(e as Error).message}\n`);
    return EXIT.failure;
  }
}

async function apply(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, CONTRACT_APPLY_COMMAND);
  if (args.positionals.length !== 1) throw new UsageError('apply takes exactly one event file (or - for standard input)');
  const events = splitEvents(readEvent(args.positionals[0]));
  const paths = contractPaths(args);
  const outdir = outdirOf(args);
  const lockTimeout = single(args, 'lock-timeout');
  const options: ApplyOptions = {
    paths,
    stateDir: stateDirOf(args),
    outdir,
    via: 'cli',
    lockTimeoutMs: lockTimeout === undefined ? undefined : positiveInt(lockTimeout, '--lock-timeout'),
    synthesize: args.flags.has('no-synth') ? undefined : stackSynthesizer(paths, outdir),
  };
  const asJson = args.flags.has('json');
  // One event prints indented JSON; a stream prints one JSON line per event.
  const indent = events.length === 1 ? 2 : undefined;
  let exit: number = EXIT.ok;
  for (const text of events) {
    const code = await applyOne(text, options, asJson, indent);
    // A stream goes on after a refusal (later events may not depend on it); the first failure is the exit code.
    if (exit === EXIT.ok) exit = code;
  }
  return exit;
}

async function applyOne(text: string, options: ApplyOptions, asJson: boolean, indent: number | undefined): Promise<number> {
  try {
    const result = await applyEventText(text, options);
    process.stdout.write(asJson ? `${JSON.stringify(result, null, indent)}\n` : describe(result));
    if (result.synth.status === 'failed') {
      process.stderr.write(`synthesis failed after the contract was written: ${result.synth.error}\n`);
      return EXIT.synthFailed;
    }
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof EventError)) throw e;
    if (asJson) process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message, problems: e.problems } }, null, indent)}\n`);
    process.stderr.write(`refused (${e.code}): ${e.message}\n`);
    return e.exitCode;
  }
}

function describe(r: ApplyResult): string {
  if (r.outcome === 'duplicate') {
    const line = `duplicate: event ${r.eventId} (${r.kind} of ${r.tenant}, version ${r.version}) was already applied; nothing changed`;
    // The contract stands; its stack was owed by an earlier apply that did not get to synthesize it.
    if (r.synth.status !== 'done') return `${line}\n`;
    return `${line} in the contract\n  stack re-synthesized (an earlier apply had not finished it): ${r.stack?.dir ?? ''}\n`;
  }
  const lines = [`applied: event ${r.eventId} (${r.kind} of ${r.tenant}, version ${r.version})${r.recovered ? ' (a crashed earlier apply was completed first)' : ''}`];
  if (r.kind === 'created') lines.push(`  new contract written (${r.changes.length} top-level fields)`);
  else for (const c of r.changes) lines.push(`  ${c.path.join('.')}: ${show(c.from)} -> ${show(c.to)}`);
  for (const [field, value] of Object.entries(r.allocated ?? {})) lines.push(`  allocated ${field} = ${value}`);
  if (r.stack !== undefined) {
    if (r.stack.action === 'deploy') lines.push(`stack to deploy: ${r.stack.dir}`);
    else if (r.stack.kept === true) lines.push(`stack to destroy: ${r.stack.dir} (kept for terraform destroy; the contract is in the audit log)`);
    else lines.push(`stack to destroy: none was synthesized at ${r.stack.dir}; synthesize the last contract from the audit log before terraform destroy`);
  }
  if (r.synth.status === 'skipped' && r.stack?.action === 'deploy') lines.push('  (not synthesized: run ras synth before deploying)');
  return `${lines.join('\n')}\n`;
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(v);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

async function due(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, CONTRACT_DUE_COMMAND);
  const date = single(args, 'date') ?? todayInJapan(new Date());
  if (!isCalendarDate(date)) throw new UsageError(`--date ${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`);
  const within = nonNegativeInt(single(args, 'within') ?? '0', '--within');
  // The listed resources and erasure dates are read from the stacks: bring owed ones up to their contracts first.
  const paths = contractPaths(args);
  const owed = await synthesizeAllOwed(new EventState(stateDirOf(args), { create: false }), {
    tenantsDir: paths.tenantsDir,
    synthesize: stackSynthesizer(paths, outdirOf(args)),
    lockTimeoutMs: DEFAULT_LOCK_TIMEOUT_MS,
  });
  const resynthesized: string[] = [];
  let failed = false;
  for (const o of owed) {
    if (o.status === 'done') resynthesized.push(o.tenant);
    else process.stderr.write(`synthesis of ${o.tenant} failed (its stack lags its contract; what is listed for it may be out of date): ${o.error}\n`);
    failed ||= o.status === 'failed';
  }
  const list = listDue(paths, { date, withinDays: within, outdir: outdirOf(args) });
  const purged = listPurged(stateDirOf(args));
  const exit = failed ? EXIT.synthFailed : EXIT.ok;
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify({ date, withinDays: within, tenants: list, purged, resynthesized }, null, 2)}\n`);
    return exit;
  }
  if (resynthesized.length > 0) process.stdout.write(`re-synthesized stacks an interrupted apply had left behind their contracts: ${resynthesized.join(', ')}\n`);
  process.stdout.write(list.length === 0 ? `no terminated tenant's erasure window ends by ${date}${within > 0 ? ` + ${within} days` : ''}\n` : list.map(describeDue).join(''));
  process.stdout.write(purged.map(describePurged).join(''));
  return exit;
}

function describeDue(t: DueTenant): string {
  const when = t.windowEnded ? `window ended on ${t.windowEnd}: purge it (ras contract apply a purged event), then destroy ${t.stackDir}` : `window ends on ${t.windowEnd} (in ${t.daysLeft} days)`;
  const lines = [`${t.tenant}: terminated ${t.terminationDate}; ${when}`];
  if (t.archiveErasedFrom !== undefined) lines.push(`  its log archive expires every object from ${t.archiveErasedFrom} (before the window ends)`);
  if (t.resources === undefined) lines.push(`  destroying it removes: (no synthesized stack at ${t.stackDir}; run ras synth to list its resources)`);
  else lines.push(`  destroying it removes ${t.resources.length} resource(s):`, ...t.resources.map((r) => `    ${r}`));
  return `${lines.join('\n')}\n`;
}

function describePurged(p: PurgedTenant): string {
  const r = p.reserved;
  const lines = [`${p.tenant}: purged ${p.purgedAt.slice(0, 10)}; ${r.vpcCidr}, ${r.clientPool} and VLAN ${r.vlanId} stay reserved until its stack is destroyed`];
  if (p.stackDir === undefined) lines.push('  no stack was kept: synthesize its last contract (in the audit log) to destroy it');
  else lines.push(`  terraform destroy in ${p.stackDir} removes ${p.resources?.length ?? 0} resource(s); then delete its record in the state folder (tenants/${p.tenant}.json)`);
  return `${lines.join('\n')}\n`;
}

function readEvent(source: string): string {
  try {
    return readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the event ${source === '-' ? 'from standard input' : `file ${source}`}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function stateDirOf(args: ParsedArgs): string {
  return single(args, 'state') ?? process.env.RAS_STATE_DIR ?? 'state';
}

function outdirOf(args: ParsedArgs): string {
  return single(args, 'outdir') ?? 'cdktf.out';
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer (got ${JSON.stringify(text)})`);
  return n;
}

function nonNegativeInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number of days (got ${JSON.stringify(text)})`);
  return n;
}
