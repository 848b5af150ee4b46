/**
 * A writer killed with SIGKILL in the middle of an apply (real child processes, stopped at the
 * test-only pause points of events/test-hooks.ts) leaves the previous or the new
 * contract whole, and the next apply recovers the lock and completes or drops the journal.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet } from '../../contract/load';
import { changedEvent, makeFixture, runContractCli, type Fixture } from './helpers/fixture';
import { killMidApply } from './helpers/kill';

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
});
afterEach(() => fx.cleanup());

async function killApply(eventFile: string, stage: 'before-rename' | 'after-rename'): Promise<void> {
  expect(await killMidApply(fx.root, [eventFile, '--no-synth'], stage)).toBe('SIGKILL');
}

function write(name: string, event: Record<string, unknown>): string {
  const file = join(fx.root, name);
  writeFileSync(file, JSON.stringify(event));
  return file;
}

it('killed before the rename: the old contract stays whole, and a retry applies the event', async () => {
  const before = fx.tenantText('sakura-trading');
  const event = changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 230 } } });
  const file = write('e2.json', event);
  await killApply(file, 'before-rename');

  expect(fx.tenantText('sakura-trading')).toBe(before);
  expect(readdirSync(fx.paths.tenantsDir).some((f) => f.endsWith('.tmp'))).toBe(true); // the dead writer's temp file
  expect(existsSync(join(fx.stateDir, 'locks', 'tenant-sakura-trading.lock'))).toBe(true); // and its lock
  expect(() => loadFleet(fx.paths)).not.toThrow();

  const retry = await runContractCli(['apply', file, '--no-synth'], { cwd: fx.root });
  expect(retry.stderr).toBe('');
  expect(retry.code).toBe(0);
  expect(retry.stdout).toContain(`applied: event ${event.id as string}`);
  expect(loadFleet(fx.paths).tenants.find((t) => t.id === 'sakura-trading')!.contract.gateway.sizing.terminals).toBe(230);
  expect(readdirSync(fx.paths.tenantsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(existsSync(join(fx.stateDir, 'locks', 'tenant-sakura-trading.lock'))).toBe(false);
  expect(fx.audit().filter((a) => a.eventId === event.id).map((a) => a.outcome)).toEqual(['applied']);
});

it('killed after the rename: the next apply completes the audit record, then applies its own event', async () => {
  const first = changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 230 } } });
  const firstFile = write('e2.json', first);
  await killApply(firstFile, 'after-rename');
  expect(loadFleet(fx.paths).tenants.find((t) => t.id === 'sakura-trading')!.contract.contractVersion).toBe(2);
  expect(fx.audit()).toEqual([]);

  const second = changedEvent('sakura-trading', 3, { gateway: { sizing: { requestsPerSecond: 180 } } });
  const next = await runContractCli(['apply', write('e3.json', second), '--no-synth'], { cwd: fx.root });
  expect(next.code).toBe(0);
  expect(fx.audit().map((a) => [a.eventId, a.outcome, a.recovered ?? false])).toEqual([
    [first.id, 'applied', true],
    [second.id, 'applied', false],
  ]);
  const c = loadFleet(fx.paths).tenants.find((t) => t.id === 'sakura-trading')!.contract;
  expect(c).toMatchObject({ contractVersion: 3, gateway: { sizing: { terminals: 230, requestsPerSecond: 180 } } });

  // The contract system retries the event whose answer it never got: it is a duplicate now.
  const retry = await runContractCli(['apply', firstFile, '--no-synth'], { cwd: fx.root });
  expect(retry.code).toBe(0);
  expect(retry.stdout).toContain('duplicate');
});

it('killed after the rename: an event of another tenant completes the dead apply’s records', async () => {
  const first = changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 230 } } });
  await killApply(write('e2.json', first), 'after-rename');
  expect(fx.audit()).toEqual([]);

  const other = changedEvent('kitakaze-logistics', 2, { labels: {} });
  expect((await runContractCli(['apply', write('k2.json', other), '--no-synth'], { cwd: fx.root })).code).toBe(0);
  expect(fx.audit().map((a) => [a.eventId, a.outcome, a.recovered ?? false])).toEqual([
    [first.id, 'applied', true],
    [other.id, 'applied', false],
  ]);
  expect(existsSync(join(fx.stateDir, 'pending', 'sakura-trading.json'))).toBe(false);
  expect(existsSync(join(fx.stateDir, 'locks', 'tenant-sakura-trading.lock'))).toBe(false);
});
