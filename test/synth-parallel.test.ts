/**
 * The fast path (chunks of tenants on worker threads) writes exactly what a one-tenant-at-a-time
 * synthesis writes, byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import execa from 'execa';
import { writeSyntheticFleet } from '../bench/generate';
import { loadFleet } from '../contract/load';
import { synthSerial } from '../stacks/synth-thread';
import { RAS } from './helpers/cli';
import { filesUnder } from './helpers/files';
import { REPO } from './helpers/workspace';

const dir = mkdtempSync(join(tmpdir(), 'ras-parallel-'));
const paths = writeSyntheticFleet(dir, 60, join(REPO, 'fleet.yaml'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


async function cliSynth(outdir: string, workers: string): Promise<void> {
  const r = await execa('node', [RAS, 'synth', '--quiet', '--fleet', paths.fleetFile, '--tenants', paths.tenantsDir, '--outdir', outdir], {
    cwd: dir,
    env: { RAS_SYNTH_WORKERS: workers, CHECKPOINT_DISABLE: '1' },
    reject: false,
  });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
}

test('parallel synthesis equals one-app synthesis and one-tenant-at-a-time synthesis, byte for byte', async () => {
  await cliSynth(join(dir, 'parallel'), '2');
  await cliSynth(join(dir, 'one-app'), '1');
  const parallel = filesUnder(join(dir, 'parallel'));
  // 60 tenant stacks; beside them the fleet's stacks (stacks/fleet_<region>) and its image pipeline stack (fleet/).
  expect([...parallel.keys()].filter((f) => f.startsWith('stacks/') && !f.startsWith('stacks/fleet_') && f.endsWith('cdk.tf.json'))).toHaveLength(60);
  expect(parallel).toEqual(filesUnder(join(dir, 'one-app')));

  const fleet = loadFleet(paths);
  for (const tenant of fleet.tenants) {
    const single = join(dir, 'single', tenant.id);
    synthSerial(fleet, single, [tenant]);
    for (const [file, bytes] of filesUnder(join(single, 'stacks'))) expect({ file, same: bytes.equals(parallel.get(join('stacks', file))!) }).toEqual({ file, same: true });
  }
});

test("each app's tokens are forgotten once it is synthesized: a thread's memory does not grow with the tenants it did", () => {
  // cdktf keeps every token in one process-wide map, and a reference token holds its construct:
  // without stacks/synth-speed.ts forgettingTokens each chunk's construct tree stayed reachable.
  const fleet = loadFleet(paths);
  const tokens = () => (globalThis as unknown as { __cdktfTokenMap: { stringTokenMap: Map<string, unknown>; tokenCounter: number } }).__cdktfTokenMap;
  synthSerial(fleet, join(dir, 'tokens', '0'), fleet.tenants.slice(0, 8));
  const [kept, counted] = [tokens().stringTokenMap.size, tokens().tokenCounter];
  for (let k = 1; k <= 3; k++) synthSerial(fleet, join(dir, 'tokens', String(k)), fleet.tenants.slice(8 * k, 8 * k + 8));
  expect(tokens().stringTokenMap.size).toBe(kept);
  // The apps did register tokens (about 70 a tenant), and let them go.
  expect(tokens().tokenCounter - counted).toBeGreaterThan(3 * 8 * 50);
});

test('a bad worker count is refused, not ignored', async () => {
  const r = await execa('node', [RAS, 'synth', '--quiet', '--fleet', paths.fleetFile, '--tenants', paths.tenantsDir, '--outdir', join(dir, 'x')], {
    cwd: dir,
    env: { RAS_SYNTH_WORKERS: 'many' },
    reject: false,
  });
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('RAS_SYNTH_WORKERS must be a whole number');
});
