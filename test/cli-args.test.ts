/** cli/args.ts: one option table per command drives both util.parseArgs and the command's --help. */
import { choice, CONTRACT_OPTIONS, contractPaths, HelpRequest, helpText, parseArgs, single, UsageError, type CommandSpec } from '../cli/args';

const SPEC: CommandSpec = {
  name: 'demo',
  options: {
    ...CONTRACT_OPTIONS,
    format: { type: 'string', value: 'text|json', description: 'output format' },
    tenant: { type: 'string', multiple: true, value: 'ID', description: 'only this tenant' },
    'no-synth': { type: 'boolean', description: 'judge what is there' },
  },
  notes: 'exit status: 0 ok',
};
const WITH_FILE: CommandSpec = { ...SPEC, name: 'demo apply', positionals: '<file>' };

function usageError(argv: string[], spec = SPEC): string {
  try {
    parseArgs(argv, spec);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

test('values (--name value, --name=value), repeats of a multiple option, flags and positionals', () => {
  const args = parseArgs(['--fleet', 'f.yaml', '--tenant=a', '--no-synth', '--tenant', 'b', 'x.json', '--format=', '--', '--tenants'], WITH_FILE);
  expect(args.options.get('tenant')).toEqual(['a', 'b']);
  expect(single(args, 'format')).toBe('');
  expect(args.flags).toEqual(new Set(['no-synth']));
  expect(args.positionals).toEqual(['x.json', '--tenants']);
  expect(contractPaths(args)).toEqual({ fleetFile: 'f.yaml', tenantsDir: 'tenants' });
  expect(parseArgs(['-'], WITH_FILE).positionals).toEqual(['-']);
});

test.each([
  [['--bogus'], 'unknown option --bogus'],
  [['--bogus=1'], 'unknown option --bogus'],
  [['-x'], 'unknown option -x'],
  [['--fleet'], '--fleet needs a value'],
  [['--format', '--no-synth'], '--format needs a value (one starting with - is written --format=-VALUE)'],
  [['--no-synth=yes'], '--no-synth takes no value'],
  [['--format', 'text', '--format=json'], '--format given more than once'],
  [['extra'], 'unexpected argument extra'],
])('%j is a usage error: %s', (argv, message) => {
  expect(usageError(argv)).toBe(message);
});

test('--help and -h ask for the help generated from the same table, before any other check', () => {
  for (const argv of [['--help'], ['-h'], ['--format', 'a', '--format', 'b', '--help']]) expect(() => parseArgs(argv, SPEC)).toThrow(HelpRequest);
  expect(() => parseArgs(['x.json', '-h'], WITH_FILE)).toThrow(HelpRequest);
  const text = helpText(SPEC);
  expect(text.split('\n')).toEqual([
    'usage: ras demo [options]',
    '',
    'options:',
    '  --fleet FILE        fleet settings file (default: fleet.yaml)',
    '  --tenants DIR       folder of tenant contracts (default: tenants)',
    '  --format text|json  output format',
    '  --tenant ID         only this tenant; repeatable',
    '  --no-synth          judge what is there',
    '  -h, --help          print this help and exit',
    '',
    'exit status: 0 ok',
  ]);
  expect(helpText(WITH_FILE).split('\n')[0]).toBe('usage: ras demo apply <file> [options]');
});

test('a table may not declare --help itself', () => {
  expect(() => parseArgs([], { name: 'x', options: { help: { type: 'boolean', description: 'mine' } } })).toThrow(/do not declare it/);
});

test('single and choice keep their meaning', () => {
  const args = parseArgs(['--tenant', 'a', '--tenant', 'b', '--format', 'xml'], SPEC);
  expect(() => single(args, 'tenant')).toThrow(new UsageError('--tenant given more than once'));
  expect(() => choice(args, 'format', ['text', 'json'], 'text')).toThrow(new UsageError('--format must be text or json, not xml'));
  expect(choice(parseArgs([], SPEC), 'format', ['text', 'json'], 'json')).toBe('json');
  expect(single(parseArgs([], SPEC), 'fleet')).toBeUndefined();
});
