/** The per-tenant lock: exclusive, recovered from dead holders, and per tenant only. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** This process's start time as the lock records it: field 22 of /proc/self/stat. */
function ownStart(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

it('treats a live PID with another start time as a reused PID (the holder is gone)', async () => {
  const path = join(fx.stateDir, 'locks', 'x.lock');
  const start = ownStart();
  expect(start).toMatch(/^\d+$/);
  // The same PID with its real start time is a live holder: the lock is not broken.
  writeFileSync(path, JSON.stringify({ pid: process.pid, start, token: 'live' }));
  await expect(acquireLock(path, { timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
  expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe('live');
  // The same PID with another start time is a reused PID: the old lock is broken at once and taken.
  writeFileSync(path, JSON.stringify({ pid: process.pid, start: String(Number(start) + 1), token: 'old' }));
  const started = Date.now();
  const held = await acquireLock(path, { timeoutMs: 2000 });
  expect(Date.now() - started).toBeLessThan(1000);
  const now = JSON.parse(readFileSync(path, 'utf8'));
  expect(now).toEqual({ pid: process.pid, start, token: expect.any(String) });
  expect(now.token).not.toBe('old');
  expect(existsSync(`${path}.break`)).toBe(false);
  held.release();
  expect(existsSync(path)).toBe(false);
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
