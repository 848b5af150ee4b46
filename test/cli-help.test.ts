/** `ras <command> --help` for every command of cli/ras.ts, and unknown options, as real processes. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec } from '../cli/args';
import { BUILD_COMMAND } from '../cli/build';
import { CHECK_COMMAND } from '../cli/check';
import { MERGE_COMMAND } from '../cli/merge';
import { CONTRACT_APPLY_COMMAND, CONTRACT_DUE_COMMAND } from '../cli/contract';
import { DEVICE_COMMANDS } from '../cli/device';
import { EVIDENCE_COMMAND } from '../cli/evidence';
import { DRIFT_COMMAND } from '../cli/drift';
import { PLAN_REVIEW_COMMAND } from '../cli/plan-review';
import { COMMANDS } from '../cli/ras';
import { REPORT_COMMAND } from '../cli/report';
import { ROLLOUT_COMMAND } from '../cli/rollout';
import { SERVE_COMMAND } from '../cli/serve';
import { SYNTH_COMMAND, VALIDATE_COMMAND } from '../cli/synth';
import { ras } from './helpers/cli';

/** Each command's option tables, by the name typed after `ras`. */
const TABLES: Record<string, CommandSpec[]> = {
  synth: [SYNTH_COMMAND],
  validate: [VALIDATE_COMMAND],
  contract: [CONTRACT_APPLY_COMMAND, CONTRACT_DUE_COMMAND],
  serve: [SERVE_COMMAND],
  check: [CHECK_COMMAND],
  report: [REPORT_COMMAND],
  evidence: [EVIDENCE_COMMAND],
  build: [BUILD_COMMAND],
  merge: [MERGE_COMMAND],
  device: Object.values(DEVICE_COMMANDS),
  'plan-review': [PLAN_REVIEW_COMMAND],
  drift: [DRIFT_COMMAND],
  rollout: [ROLLOUT_COMMAND],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-help-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('every command of ras has its option table here', () => {
  expect(Object.keys(TABLES).sort()).toEqual(Object.keys(COMMANDS).sort());
});

test('ras --help lists every command and exits 0', async () => {
  const r = await ras(['--help'], dir);
  expect(r.exitCode).toBe(0);
  for (const name of Object.keys(COMMANDS)) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
});

describe.each(Object.keys(TABLES))('ras %s', (name) => {
  // A subcommand's help comes from its own table; `ras contract --help` shows them all.
  const invocations = TABLES[name].map((spec) => ({ specs: [spec], argv: [...spec.name.split(' '), '--help'] }));
  if (name === 'contract') invocations.push({ specs: TABLES.contract, argv: ['contract', '--help'] });

  test.each(invocations.map((i) => [i.argv.join(' '), i] as const))('%s prints usage and every option of its table, exit 0', async (_label, { specs, argv }) => {
    const r = await ras(argv, dir, { RAS_EVENT_SECRET: '' });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    for (const spec of specs) {
      expect(r.stdout).toContain(`usage: ras ${spec.name} `);
      const names = Object.keys(spec.options);
      expect(names.length).toBeGreaterThan(0);
      for (const option of names) expect(r.stdout).toMatch(new RegExp(`^  --${option}\\b.*  ${escape(spec.options[option].description)}`, 'm'));
    }
    expect(r.stdout).toContain('-h, --help');
    expect(readdirSync(dir)).toEqual([]); // help reads and writes nothing
  });

  test('an unknown option is a usage error (exit 2) naming it', async () => {
    const r = await ras([...TABLES[name][0].name.split(' '), '--bogus'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`ras ${name}: unknown option --bogus`);
    expect(r.stdout).toBe('');
  });
});

test('-h is --help; the help shows values, repeatable options and flags', async () => {
  const check = await ras(['check', '-h'], dir);
  expect(check.exitCode).toBe(0);
  expect(check.stdout).toMatch(/^usage: ras check \[options\]$/m);
  expect(check.stdout).toMatch(/^ {2}--format text\|json +how findings are printed/m);
  expect(check.stdout).toMatch(/^ {2}--tenant ID +.*; repeatable$/m);
  expect(check.stdout).toMatch(/^ {2}--no-synth +judge/m);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
