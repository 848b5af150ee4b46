/**
 * A writer killed anywhere in an apply (at every test-only pause point and at random moments),
 * then a retry — by the CLI, over HTTP, or by restarting `ras serve` — must leave the tenant's
 * stack byte for byte equal to a fresh `ras synth --tenant` of the contract on disk. Before the
 * synthesis-owed mark, a retry answered `duplicate` and left the stack stale for good: a
 * terminated tenant kept its gateway and got no erasure rule.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDue } from '../../events/due';
import type { PauseStage } from '../../events/test-hooks';
import { loadFleet } from '../../contract/load';
import { createEventServer } from '../../server/http';
import { synthTenants } from '../../stacks/synth';
import { stackSynthesizer } from '../../cli/synth-hook';
import { filesUnder } from '../helpers/files';
import { changedEvent, createdEvent, makeFixture, REPO, runContractCli, terminatedEvent, type Fixture } from './helpers/fixture';
import { post } from './helpers/http-client';
import { killApplyAfter, killMidApply } from './helpers/kill';
import { startServe } from './helpers/serve';

const SECRET = 'crash-synth-secret-0123456789abcdef0123456789';
const STAGES: readonly PauseStage[] = ['before-rename', 'after-rename', 'before-synth'];

type Kind = 'created' | 'changed' | 'terminated';
const EVENTS: Record<Kind, () => Record<string, unknown>> = {
  created: () => createdEvent('aoba-bank', 1, 1),
  changed: () => changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 230 } } }),
  terminated: () => terminatedEvent('sakura-trading', 2, '2026-12-01'),
};
const KINDS = Object.keys(EVENTS) as Kind[];

let fx: Fixture;
beforeAll(async () => {
  // Warm the transpile cache (helpers/register.js), so the timed kills below hit the apply, not the compiler.
  await runContractCli(['--help'], { cwd: REPO });
});
beforeEach(() => {
  fx = makeFixture();
  // The stack as it was before the event: a retry that skips synthesis leaves exactly this.
  synthTenants({ paths: fx.paths, outdir: fx.outdir, only: ['sakura-trading'] });
});
afterEach(() => fx.cleanup());

function eventFile(event: Record<string, unknown>): string {
  const file = join(fx.root, `${event.id as string}.json`);
  writeFileSync(file, JSON.stringify(event));
  return file;
}

/** The stack folder equals a fresh synthesis of the contract on disk, file for file and byte for byte. */
function expectStackOfContract(tenant: string, version: number): void {
  expect(loadFleet(fx.paths).tenants.find((t) => t.id === tenant)?.contract.contractVersion).toBe(version);
  const fresh = join(fx.root, `fresh-${Date.now()}`);
  synthTenants({ paths: fx.paths, outdir: fresh, only: [tenant] });
  const expected = filesUnder(join(fresh, 'stacks', tenant));
  expect([...expected.keys()]).toContain('cdk.tf.json');
  expect(filesUnder(join(fx.outdir, 'stacks', tenant))).toEqual(expected);
}

/** CLD8.1.5 in the stack itself: no gateway left, and the log archive expires everything before the 45-day window ends. */
function expectErasure(tenant: string): void {
  const [due] = listDue(fx.paths, { date: '2026-12-01', withinDays: 45, outdir: fx.outdir }).filter((d) => d.tenant === tenant);
  expect(due.resources!.some((r) => r.startsWith('aws_instance.'))).toBe(false);
  expect(due.archiveErasedFrom).toBeDefined();
  expect(due.archiveErasedFrom! < due.windowEnd).toBe(true);
}

function expectSettled(event: Record<string, unknown>): void {
  expectStackOfContract(event.tenant as string, event.version as number);
  if (event.kind === 'terminated') expectErasure(event.tenant as string);
}

describe.each(KINDS)('%s event', (kind) => {
  it.each(STAGES)('killed at %s, retried by the CLI', async (stage) => {
    const event = EVENTS[kind]();
    const file = eventFile(event);
    expect(await killMidApply(fx.root, [file], stage)).toBe('SIGKILL');

    const retry = await runContractCli(['apply', file, '--json'], { cwd: fx.root });
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    const result = JSON.parse(retry.stdout) as { outcome: string; synth: { status: string; recovered?: boolean } };
    // Before the rename the event had not happened: the retry applies it. After, it is a duplicate that still synthesizes.
    expect(result).toMatchObject(stage === 'before-rename' ? { outcome: 'applied', synth: { status: 'done' } } : { outcome: 'duplicate', synth: { status: 'done', recovered: true } });
    expectSettled(event);
    // Settled for good: nothing is owed any more, so the next retry has nothing left to do.
    expect(existsSync(join(fx.stateDir, 'synth-owed', `${event.tenant as string}.json`))).toBe(false);
  });

  it.each(STAGES)('killed at %s, retried over HTTP', async (stage) => {
    const event = EVENTS[kind]();
    expect(await killMidApply(fx.root, [eventFile(event)], stage)).toBe('SIGKILL');

    const server: Server = createEventServer({ secret: SECRET, apply: { ...fx.options(), synthesize: stackSynthesizer(fx.paths, fx.outdir) }, log: () => undefined });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await post((server.address() as AddressInfo).port, JSON.stringify(event), { secret: SECRET });
      expect(reply.status).toBe(stage === 'before-rename' ? 202 : 200);
      expect(reply.body.result).toMatchObject({ synth: { status: 'done' }, stack: { action: 'deploy', dir: join(fx.outdir, 'stacks', event.tenant as string) } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expectSettled(event);
  });

  it.each(STAGES)('killed at %s, then ras serve restarted', async (stage) => {
    const event = EVENTS[kind]();
    expect(await killMidApply(fx.root, [eventFile(event)], stage)).toBe('SIGKILL');

    const serve = await startServe(fx.root, SECRET);
    try {
      // At startup, before any event: the stack is already that of the contract on disk.
      if (stage !== 'before-rename') {
        expectSettled(event);
        expect(serve.stderr()).toContain(`re-synthesized the stack of ${event.tenant as string}`);
      }
      const reply = await post(serve.port, JSON.stringify(event), { secret: SECRET });
      expect(reply.status).toBe(stage === 'before-rename' ? 202 : 200);
      expectSettled(event);
    } finally {
      await serve.kill();
    }
  });

  it('killed at a random moment, retried by the CLI', async () => {
    const event = EVENTS[kind]();
    const file = eventFile(event);
    // A whole apply with synthesis takes two to four seconds here: kill somewhere inside it.
    const delay = Math.floor(Math.random() * 3000);
    const killed = await killApplyAfter(fx.root, [file], delay);
    expect({ delay, ...killed }).toEqual(killed.signal === null ? { delay, code: 0, signal: null } : { delay, code: null, signal: 'SIGKILL' });
    const retry = await runContractCli(['apply', file, '--json'], { cwd: fx.root });
    expect(retry.code).toBe(0);
    expectSettled(event);
  });
});

it('ras contract due re-synthesizes an owed stack before it lists what destroying it removes', async () => {
  const event = EVENTS.terminated();
  expect(await killMidApply(fx.root, [eventFile(event)], 'before-synth')).toBe('SIGKILL');

  const due = await runContractCli(['due', '--date', '2026-12-01', '--within', '45', '--json'], { cwd: fx.root });
  expect(due.stderr).toBe('');
  expect(due.code).toBe(0);
  const listed = JSON.parse(due.stdout) as { resynthesized: string[]; tenants: { tenant: string; resources?: string[] }[] };
  expect(listed.resynthesized).toEqual(['sakura-trading']);
  expect(listed.tenants.find((t) => t.tenant === 'sakura-trading')!.resources).not.toEqual(expect.arrayContaining([expect.stringMatching(/^aws_instance\./)]));
  expectSettled(event);
});
