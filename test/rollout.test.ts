/**
 * `ras rollout`'s waves from a real plan review: 30 synthetic tenants synthesized twice, the head
 * with changed fleet settings (NTP servers: every tenant's gateway variables change, as a
 * construct change would) and one tenant's portal lockout weakened (a risk flag). Then the
 * workflow it emits, and the local runner with a per-tenant command made to fail in wave 3:
 * the rollout stops there, later waves are untouched, the held tenant never runs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeSyntheticFleet } from '../bench/generate';
import { evaluateWithPolicies, loadSide, reviewSides } from '../review';
import type { Review } from '../review/types';
import { runRollout } from '../rollout/run';
import { planWaves, WaveOptionError } from '../rollout/waves';
import { rolloutWorkflow } from '../rollout/workflow';
import { synthTenants } from '../stacks/synth';
import { REPO } from './helpers/workspace';

const TENANTS = 30;
const CHANGED = 27;
const dir = mkdtempSync(join(tmpdir(), 'ras-rollout-'));
let review: Review;

beforeAll(() => {
  for (const side of ['base', 'head']) {
    const paths = writeSyntheticFleet(join(dir, side), TENANTS, join(REPO, 'fleet.yaml'));
    if (side === 'head') {
      writeFileSync(paths.fleetFile, readFileSync(paths.fleetFile, 'utf8').replace('- ntp.nict.jp', '- ntp.example.jp'));
      const risky = join(paths.tenantsDir, 'tenant-00007.yaml');
      writeFileSync(risky, readFileSync(risky, 'utf8').replace('lockoutThreshold: 5', 'lockoutThreshold: 10'));
    }
    synthTenants({ paths, outdir: join(dir, side, 'cdktf.out') });
  }
  const [base, head] = ['base', 'head'].map((s) => loadSide(join(dir, s, 'cdktf.out')));
  review = reviewSides(base, head, { evaluate: evaluateWithPolicies });
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the review reaches every tenant; the risky one is held, the rest go canary first in growing waves', () => {
  // Every tenant but the terminated ones (every tenth: no gateway, so no NTP setting to change).
  expect(review.tenants).toHaveLength(CHANGED);
  expect(review.unchanged).toEqual(['tenant-00009', 'tenant-00019', 'tenant-00029']);
  const plan = planWaves(review, { canary: 1, growth: 2, maxWave: 8, parallel: 3 });
  expect(plan.held).toEqual([{ tenant: 'tenant-00007', risks: ['portal-weakened'] }]);
  expect(plan.waves.map((w) => w.tenants.length)).toEqual([1, 2, 4, 8, 8, 3]);
  const waved = plan.waves.flatMap((w) => w.tenants);
  // Every tenant the change reaches exactly once, in name order, the held one in no wave.
  expect(waved).toEqual(review.tenants.map((t) => t.tenant).filter((t) => t !== 'tenant-00007').sort());
  expect(plan.waves[0]).toEqual({ index: 1, tenants: ['tenant-00000'] });
  expect(() => planWaves(review, { parallel: 0 })).toThrow(WaveOptionError);
});

test('the workflow chains the waves, gates every wave after the canary, limits parallelism, holds the risky tenant last', () => {
  const plan = planWaves(review, { canary: 2, maxWave: 10, parallel: 4 });
  const wf = parse(rolloutWorkflow(plan, 'echo apply "$RAS_TENANT"'));
  const ids = Object.keys(wf.jobs);
  expect(ids).toEqual([...plan.waves.map((w) => `wave-${w.index}`), 'held']);
  plan.waves.forEach((w, i) => {
    const job = wf.jobs[`wave-${w.index}`];
    expect(job.strategy.matrix.tenant).toEqual(w.tenants);
    expect(job.strategy['max-parallel']).toBe(4);
    expect(job.strategy['fail-fast']).toBe(true);
    expect(job.needs).toBe(i === 0 ? undefined : `wave-${w.index - 1}`);
    expect(job.environment).toBe(i === 0 ? undefined : 'rollout');
    expect(job.env.RAS_TENANT).toBe('${{ matrix.tenant }}');
    // The tenant reaches the command through the environment, never spliced into the shell line.
    for (const step of job.steps) if (typeof step.run === 'string') expect(step.run).not.toMatch(/tenant-\d/);
  });
  expect(wf.jobs.held).toMatchObject({ needs: `wave-${plan.waves.length}`, environment: 'rollout-risky', strategy: { matrix: { tenant: ['tenant-00007'] } } });
});

test('run here: a failing tenant in wave 3 stops the rollout there; later waves and the held tenant are untouched', async () => {
  const plan = planWaves(review, { canary: 1, growth: 2, maxWave: 8, parallel: 2 });
  const marks = join(dir, 'applied');
  const failing = plan.waves[2].tenants[1];
  // A real per-tenant step through sh: it records the tenant, and fails for one of them.
  const command = `mkdir -p "${marks}" && touch "${marks}/$RAS_TENANT" && test "$RAS_TENANT" != "${failing}"`;
  const lines: string[] = [];
  const result = await runRollout(plan, command, (l) => lines.push(l));
  expect(result.failed).toEqual({ tenant: failing, wave: 3, exitCode: 1 });
  const ran = readdirSync(marks).sort();
  const first3 = plan.waves.slice(0, 3).flatMap((w) => w.tenants);
  // Waves 1 and 2 ran whole; wave 3 ran no further than its parallelism allowed after the failure.
  for (const t of plan.waves.slice(0, 2).flatMap((w) => w.tenants)) expect(ran).toContain(t);
  expect(ran.every((t) => first3.includes(t))).toBe(true);
  for (const t of plan.waves.slice(3).flatMap((w) => w.tenants)) expect(existsSync(join(marks, t))).toBe(false);
  expect(existsSync(join(marks, 'tenant-00007'))).toBe(false);
  expect(result.untouched).toEqual(expect.arrayContaining(plan.waves.slice(3).flatMap((w) => w.tenants)));
  expect(lines).toContain('wave 3: 4 tenant(s), 2 at a time');
  expect(lines.some((l) => l.startsWith('wave 4'))).toBe(false);

  // The same plan with a step that passes everywhere applies every wave, still not the held tenant.
  const ok = await runRollout(plan, 'true');
  expect(ok.failed).toBeUndefined();
  expect(ok.applied).toHaveLength(CHANGED - 1);
  expect(ok.untouched).toEqual([]);
});
