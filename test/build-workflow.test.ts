/**
 * .github/workflows/build-sharded.yml as CI runs it: its matrix and SHARDS agree, and its own
 * `run:` scripts, executed here with bash for every matrix entry (the artifacts passed on as
 * download-artifact lays them out), produce exactly what one `ras build` produces.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import execa from 'execa';
import { parse } from 'yaml';
import { ras } from './helpers/cli';
import { filesUnder } from './helpers/files';
import { REPO } from './helpers/workspace';

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Workflow {
  readonly env: Record<string, string>;
  readonly jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }>;
}

const workflow = parse(readFileSync(join(REPO, '.github', 'workflows', 'build-sharded.yml'), 'utf8')) as Workflow;
const shards = Number(workflow.env.SHARDS);
const dir = mkdtempSync(join(tmpdir(), 'ras-workflow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The step that runs `ras <command>`. */
function rasStep(job: string, command: string): Step {
  const step = workflow.jobs[job].steps.find((s) => s.run?.includes(`ras.js ${command}`));
  if (step === undefined) throw new Error(`no step of job ${job} runs ras ${command}`);
  return step;
}

test('the matrix holds every shard of SHARDS once, and the merge waits for it', () => {
  expect(shards).toBeGreaterThan(1);
  expect(workflow.jobs.shard.strategy?.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
  expect(workflow.jobs.merge.needs).toBe('shard');
  const upload = workflow.jobs.shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
  expect(upload?.with).toMatchObject({ name: 'shard-${{ matrix.shard }}', path: 'shard-${{ matrix.shard }}/', 'if-no-files-found': 'error' });
  const download = workflow.jobs.merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'));
  expect(download?.with).toEqual({ pattern: 'shard-*', path: 'shards' });
});

test("the workflow's own scripts, run for every shard and then merged, equal one ras build", async () => {
  for (const f of ['fleet.yaml', 'tenants', join('ansible', 'roles'), join('policies', 'suppressions.yaml')]) cpSync(join(REPO, f), join(dir, f), { recursive: true });
  symlinkSync(join(REPO, 'dist'), join(dir, 'dist'));
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_COMMITTER_DATE: '2026-11-30T00:00:00Z', GIT_AUTHOR_DATE: '2026-11-30T00:00:00Z' } });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'fleet');
  // Each step with its own env (the heap limits) on top of the workflow's, as the runner sets them.
  const envOf = (step: Step) => ({ ...workflow.env, ...step.env, PATH: process.env.PATH });
  const build = rasStep('shard', 'build');
  for (let i = 1; i <= shards; i++) {
    const r = await execa('bash', ['-e', '-c', build.run!.replaceAll('${{ matrix.shard }}', String(i))], { cwd: dir, env: envOf(build), reject: false });
    expect({ shard: i, exitCode: r.exitCode }).toEqual({ shard: i, exitCode: 0 });
    // What download-artifact does with pattern shard-*: one folder per artifact under shards/.
    cpSync(join(dir, `shard-${i}`), join(dir, 'shards', `shard-${i}`), { recursive: true });
  }
  const mergeStep = rasStep('merge', 'merge');
  const merge = await execa('bash', ['-e', '-c', mergeStep.run!], { cwd: dir, env: envOf(mergeStep), reject: false });
  const one = await ras(['build', '--quiet', '--out', 'whole'], dir, { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-30T00:00:00Z') / 1000) });
  expect(merge.exitCode).toBe(one.exitCode);
  expect(merge.stdout).toBe(one.stdout);
  expect(filesUnder(join(dir, 'merged'))).toEqual(filesUnder(join(dir, 'whole')));
}, 180_000);
