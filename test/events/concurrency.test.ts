/** 20 events at once from 20 real `ras contract apply` processes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoLostUpdate, racingEvents } from './helpers/concurrent';
import { createdEvent, makeFixture, REPO, runContractCli } from './helpers/fixture';

beforeAll(async () => {
  // Warm the transpile cache (helpers/register.js) so the race measures applies, not compiling.
  await runContractCli(['--help'], { cwd: REPO });
});

it('serializes one tenant, lets others through, and loses nothing', async () => {
  const fx = makeFixture();
  try {
    const events = racingEvents();
    const runs = await Promise.all(
      events.map((e, i) => {
        const file = join(fx.root, `event-${i}.json`);
        writeFileSync(file, JSON.stringify(e));
        return runContractCli(['apply', file, '--no-synth', '--json', '--lock-timeout', '100000'], { cwd: fx.root });
      }),
    );
    const answers = runs.map((r) => {
      const out = JSON.parse(r.stdout) as { outcome?: string; error?: { code: string } };
      expect(r.code).toBe(out.error === undefined ? 0 : 3);
      return out.outcome ?? out.error!.code;
    });
    expectNoLostUpdate(fx, events, answers);
  } finally {
    fx.cleanup();
  }
});

it('applies one event id once even when it is sent for several tenants at the same moment', async () => {
  const fx = makeFixture();
  try {
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const file = join(fx.root, `same-id-${i}.json`);
        writeFileSync(file, JSON.stringify({ ...createdEvent(`twin-${i}`, 1, 200 + i), id: 'evt-shared-id' }));
        return runContractCli(['apply', file, '--no-synth', '--json'], { cwd: fx.root });
      }),
    );
    const answers = runs.map((r) => (JSON.parse(r.stdout) as { outcome?: string; error?: { code: string } }).outcome ?? (JSON.parse(r.stdout) as { error: { code: string } }).error.code);
    expect(answers.filter((a) => a === 'applied')).toHaveLength(1);
    expect(answers.filter((a) => a === 'event-id-reused')).toHaveLength(5);
    expect(fx.audit().filter((a) => a.outcome === 'applied')).toHaveLength(1);
  } finally {
    fx.cleanup();
  }
});
