/**
 * The synthesis-owed mark (events/owed.ts), in process with a recording synthesizer:
 * set before a contract changes, cleared only by a synthesis that read the contract now on disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEvent, type Synthesize } from '../../events/apply';
import { EventState } from '../../events/state';
import { changedEvent, makeFixture, purgedEvent, terminatedEvent, type Fixture } from './helpers/fixture';

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
});
afterEach(() => fx.cleanup());

const owed = (tenant: string) => new EventState(fx.stateDir).synthOwed(tenant);

/** Records the contract version each synthesis read from disk. */
function recorder(seen: number[]): Synthesize {
  return async (tenant) => {
    const text = readFileSync(join(fx.paths.tenantsDir, `${tenant}.yaml`), 'utf8');
    seen.push(Number(/^contractVersion: (\d+)$/m.exec(text)?.[1] ?? 0));
    return { dir: join(fx.outdir, 'stacks', tenant) };
  };
}

it('is cleared by a finished synthesis, so a duplicate then synthesizes nothing', async () => {
  const seen: number[] = [];
  const e = changedEvent('sakura-trading', 2, { labels: {} });
  expect((await applyEvent(e, fx.options({ synthesize: recorder(seen) }))).synth).toEqual({ status: 'done' });
  expect(owed('sakura-trading')).toBeUndefined();
  expect((await applyEvent(e, fx.options({ synthesize: recorder(seen) }))).synth).toEqual({ status: 'skipped' });
  expect(seen).toEqual([2]);
});

it('stays after a failed synthesis or none, and the duplicate synthesizes the stack', async () => {
  const e = changedEvent('sakura-trading', 2, { labels: {} });
  const failed = await applyEvent(e, fx.options({ synthesize: () => Promise.reject(new Error('boom')) }));
  expect(failed.synth).toEqual({ status: 'failed', error: 'boom' });
  expect(owed('sakura-trading')).toMatchObject({ version: 2, eventId: e.id });

  const unsynthesized = changedEvent('sakura-trading', 3, { labels: {} });
  await applyEvent(unsynthesized, fx.options()); // --no-synth
  expect(owed('sakura-trading')).toMatchObject({ version: 3 });

  const seen: number[] = [];
  const retry = await applyEvent(e, fx.options({ synthesize: recorder(seen) }));
  expect(retry).toMatchObject({ outcome: 'duplicate', synth: { status: 'done', recovered: true }, stack: { action: 'deploy' } });
  expect(seen).toEqual([3]); // the contract on disk, not the duplicate's version
  expect(owed('sakura-trading')).toBeUndefined();
});

it('stays when the contract changed while the synthesis ran', async () => {
  const seen: number[] = [];
  const synthesize: Synthesize = async (tenant) => {
    const dir = await recorder(seen)(tenant);
    // A newer event lands after this synthesis read the contract, from a writer that does not synthesize.
    if (seen.length === 1) await applyEvent(changedEvent('sakura-trading', 3, { labels: {} }), fx.options());
    return dir;
  };
  await applyEvent(changedEvent('sakura-trading', 2, { labels: {} }), fx.options({ synthesize }));
  expect(seen).toEqual([2]);
  expect(owed('sakura-trading')).toMatchObject({ version: 3 });
});

it('is dropped by a purge: there is no contract left to synthesize', async () => {
  await applyEvent(terminatedEvent('sakura-trading', 2, '2026-11-20'), fx.options());
  expect(owed('sakura-trading')).toBeDefined();
  const late = fx.options({ now: () => new Date('2027-01-10T00:00:00Z') });
  expect((await applyEvent(purgedEvent('sakura-trading', 3), late)).synth).toEqual({ status: 'skipped' });
  expect(owed('sakura-trading')).toBeUndefined();
});
