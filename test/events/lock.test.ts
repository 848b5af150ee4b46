/** The per-tenant lock: exclusive, recovered from dead holders, and per tenant only. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEvent } from '../../events/apply';
import { acquireLock, LockTimeoutError } from '../../events/lock';
import { EventState } from '../../events/state';
import { changedEvent, makeFixture, type Fixture } from './helpers/fixture';

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
  mkdirSync(join(fx.stateDir, 'locks'), { recursive: true });
});
afterEach(() => fx.cleanup());

it('is exclusive while its holder lives', async () => {
  const path = join(fx.stateDir, 'locks', 'x.lock');
  const held = await acquireLock(path);
  await expect(acquireLock(path, { timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeoutError);
  held.release();
  const again = await acquireLock(path, { timeoutMs: 200 });
  again.release();
  expect(existsSync(path)).toBe(false);
});

it('breaks a lock whose holder died', async () => {
  // A real process that has exited: its PID is (for now) unused.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const path = join(fx.stateDir, 'locks', 'x.lock');
  writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), start: '1', token: 'dead' }));
  const started = Date.now();
  const held = await acquireLock(path, { timeoutMs: 2000 });
  expect(Date.now() - started).toBeLessThan(1000);
  held.release();
});

it('treats a live PID with another start time as a reused PID (the holder is gone)', async () => {
  const path = join(fx.stateDir, 'locks', 'x.lock');
  writeFileSync(path, JSON.stringify({ pid: process.pid, start: 'not-this-process', token: 'old' }));
  const held = await acquireLock(path, { timeoutMs: 2000 });
  held.release();
});

it('does not make one tenant wait for another', async () => {
  const state = new EventState(fx.stateDir);
  const other = await acquireLock(state.tenantLockFile('minato-design'));
  try {
    const r = await applyEvent(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } }), fx.options({ lockTimeoutMs: 500 }));
    expect(r.outcome).toBe('applied');
  } finally {
    other.release();
  }
});

it('refuses with lock-timeout when the same tenant stays locked', async () => {
  const state = new EventState(fx.stateDir);
  const held = await acquireLock(state.tenantLockFile('sakura-trading'));
  try {
    await expect(applyEvent(changedEvent('sakura-trading', 2, { labels: {} }), fx.options({ lockTimeoutMs: 200 }))).rejects.toMatchObject({ code: 'lock-timeout', status: 409 });
  } finally {
    held.release();
  }
  expect(fx.audit()).toEqual([expect.objectContaining({ outcome: 'refused', error: expect.objectContaining({ code: 'lock-timeout' }) })]);
});

it('reserves an event id for one tenant and content across processes', () => {
  const state = new EventState(fx.stateDir);
  expect(state.claim('evt-1', 'sakura-trading', 'd1')).toBe(true);
  expect(state.claim('evt-1', 'sakura-trading', 'd1')).toBe(true); // its own retry after a crash
  expect(state.claim('evt-1', 'kitakaze-logistics', 'd1')).toBe(false);
  expect(state.claim('evt-1', 'sakura-trading', 'd2')).toBe(false);
});
