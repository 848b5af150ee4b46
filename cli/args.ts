/**
 * Argument parsing for every `ras` command: each command declares one option table, which both
 * drives `util.parseArgs` (strict: an unknown or malformed option is a usage error, so typos never
 * pass silently) and prints the command's `--help`, so the two cannot disagree.
 */
import { parseArgs as parseArgv } from 'node:util';
import type { ContractPaths } from '../contract/load';

export class UsageError extends Error {}

/** `--help` or `-h` was given: the command prints `text` on standard output and exits 0. */
export class HelpRequest extends Error {
  constructor(readonly text: string) {
    super('help requested');
  }
}

export interface OptionSpec {
  /** `string` takes a value (`--name value` or `--name=value`); `boolean` is a flag. */
  readonly type: 'string' | 'boolean';
  /** May be given more than once (string options only); otherwise a repeat is a usage error. */
  readonly multiple?: boolean;
  /** How the value is shown in the help (`DIR`, `text|json`). */
  readonly value?: string;
  /** One line for the help. */
  readonly description: string;
}

export interface CommandSpec {
  /** As typed after `ras`: `check`, `contract apply`. */
  readonly name: string;
  /** The usage line after the name. @default `[options]`, after `positionals` if any */
  readonly synopsis?: string;
  /** Positional arguments as shown in the usage line (`<events|->`); none are accepted without it. */
  readonly positionals?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Lines printed after the options (the secret's variable, exit status). */
  readonly notes?: string;
}

export interface ParsedArgs {
  readonly positionals: string[];
  /** Values of string options, in the order given. */
  readonly options: Map<string, string[]>;
  /** Boolean options given. */
  readonly flags: Set<string>;
}

const HELP: OptionSpec = { type: 'boolean', description: 'print this help and exit' };

/**
 * Parses argv against a command's table. Throws HelpRequest for `--help`/`-h`, UsageError for an
 * unknown option, a missing value, a value given to a flag, a single-valued option given twice,
 * or a positional argument the command does not take.
 */
export function parseArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  if ('help' in spec.options) throw new Error(`${spec.name}: --help is every command's own; do not declare it`);
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, multiple: o.multiple === true }]));
  let tokens;
  try {
    ({ tokens } = parseArgv({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: spec.positionals !== undefined,
      tokens: true,
    }));
  } catch (e) {
    throw usageErrorOf(e);
  }
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) throw new HelpRequest(helpText(spec));
  const parsed: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (const token of tokens) {
    if (token.kind === 'positional') parsed.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    if (option.type === 'boolean') {
      parsed.flags.add(token.name);
      continue;
    }
    const values = parsed.options.get(token.name) ?? [];
    if (values.length > 0 && option.multiple !== true) throw new UsageError(`--${token.name} given more than once`);
    parsed.options.set(token.name, [...values, token.value ?? '']);
  }
  return parsed;
}

/** util.parseArgs's errors, as short usage messages naming the option. */
function usageErrorOf(e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const message = (e as Error).message;
  const quoted = /'([^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${quoted}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${quoted}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) return new UsageError(`${quoted} takes no value`);
      if (message.includes('ambiguous')) return new UsageError(`${quoted} needs a value (one starting with - is written ${quoted}=-VALUE)`);
      return new UsageError(`${quoted} needs a value`);
    default:
      return code?.startsWith('ERR_PARSE_ARGS_') === true ? new UsageError(message) : (e as Error);
  }
}

/** `usage: ras <name> ...` alone, for a usage error. */
export function usageLine(spec: CommandSpec): string {
  const synopsis = spec.synopsis ?? [spec.positionals, '[options]'].filter((s) => s !== undefined).join(' ');
  return `usage: ras ${spec.name} ${synopsis}`;
}

/** The usage line, every option of the table with its value and description, then the notes. */
export function helpText(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.options), ['help', HELP] as const].map(([name, o]) => {
    const value = o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : '';
    const left = name === 'help' ? '-h, --help' : `--${name}${value}`;
    return [left, `${o.description}${o.multiple === true ? '; repeatable' : ''}`] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const lines = [usageLine(spec), '', 'options:', ...rows.map(([left, text]) => `  ${left.padEnd(width)}${text}`)];
  if (spec.notes !== undefined) lines.push('', spec.notes);
  return lines.join('\n');
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const values = args.options.get(name);
  if (values !== undefined && values.length > 1) throw new UsageError(`--${name} given more than once`);
  return values?.[0];
}

/** A single option restricted to `allowed` values, with a default. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const value = single(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be ${allowed.join(' or ')}, not ${value}`);
  return value as T;
}

/** The options of contractPaths, for a command's table. */
export const CONTRACT_OPTIONS = {
  fleet: { type: 'string', value: 'FILE', description: 'fleet settings file (default: fleet.yaml)' },
  tenants: { type: 'string', value: 'DIR', description: 'folder of tenant contracts (default: tenants)' },
} as const satisfies Record<string, OptionSpec>;

/** For the commands that judge the output against the rules. */
export const SUPPRESSIONS_OPTION = {
  suppressions: { type: 'string', value: 'FILE', description: 'declared exceptions (default: policies/suppressions.yaml)' },
} as const satisfies Record<string, OptionSpec>;

/** For the commands that judge a synthesized output they may synthesize first (ras report, ras evidence). */
export const JUDGED_OUTPUT_OPTIONS = {
  from: { type: 'string', value: 'DIR', description: 'synthesized output to judge (default: cdktf.out)' },
  ...SUPPRESSIONS_OPTION,
  'no-synth': { type: 'boolean', description: 'judge the output already in --from instead of synthesizing first' },
} as const satisfies Record<string, OptionSpec>;

/** For the commands whose reports may show the deployed state beside the intent (ras report, ras evidence). */
export const DEPLOYED_STATES_OPTION = {
  states: {
    type: 'string',
    value: 'DIR',
    description: 'also read the deployed state, DIR/<tenant>.json (terraform show -json of the refreshed state, as ras drift reads it): the reports show both and flag differences',
  },
} as const satisfies Record<string, OptionSpec>;

/** For the commands that show progress on standard error (lib/progress.ts). */
export const QUIET_OPTION = {
  quiet: { type: 'boolean', description: 'no progress on standard error (shown on a terminal, or every few seconds in CI)' },
} as const satisfies Record<string, OptionSpec>;

/** Progress on for `command` unless --quiet (call after parsing, before the work). */
export function startProgress(command: string, args: ParsedArgs): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('../lib/progress') as typeof import('../lib/progress')).configureProgress(command, args.flags.has('quiet'));
}

/** --fleet and --tenants, with the repository's defaults. */
export function contractPaths(args: ParsedArgs): ContractPaths {
  return { fleetFile: single(args, 'fleet') ?? 'fleet.yaml', tenantsDir: single(args, 'tenants') ?? 'tenants' };
}
