/**
 * Cross-process advisory lock on a file: created with O_EXCL ('wx'), so exactly one process
 * holds it. A holder that died (SIGKILL, power loss) cannot release it, so a waiter breaks a
 * lock whose holder is no longer alive: same PID *and* same process start time (a reused PID is
 * a different process). Breaking is itself guarded by a short-lived `.break` file, so two
 * waiters cannot both break the lock and then remove each other's fresh lock.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { writeAll } from '../lib/fd';

export interface HeldLock {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  /** Give up after this long. @default 30000 */
  readonly timeoutMs?: number;
  /** Pause between attempts. @default 20 */
  readonly pollMs?: number;
}

interface Holder {
  readonly pid: number;
  readonly start?: string;
  readonly token: string;
}

/** A holder writes its record right after creating the file; an empty file older than this is debris. */
const EMPTY_LOCK_GRACE_MS = 5_000;
/** Breaking a lock takes microseconds; a `.break` file older than this belongs to a dead breaker. */
const BREAK_GRACE_MS = 10_000;

export class LockTimeoutError extends Error {
  constructor(public readonly path: string, holder: string) {
    super(`timed out waiting for lock ${path} (held by ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const me: Holder = { pid: process.pid, start: processStart(process.pid), token: randomBytes(12).toString('hex') };
  for (;;) {
    if (tryCreate(path, me)) return { path, release: () => release(path, me.token) };
    const seen = readRaw(path);
    if (seen !== undefined && isStale(path, seen)) {
      breakStale(path, seen);
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(path, seen ?? 'unknown');
    await new Promise((r) => setTimeout(r, (options.pollMs ?? 20) * (0.5 + Math.random())));
  }
}

function tryCreate(path: string, me: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeAll(fd, Buffer.from(JSON.stringify(me)));
  } finally {
    closeSync(fd);
  }
  return true;
}

function release(path: string, token: string): void {
  // Only remove our own lock: never one a waiter re-created after (wrongly) judging us dead.
  const raw = readRaw(path);
  if (raw !== undefined && parseHolder(raw)?.token === token) unlinkSync(path);
}

function isStale(path: string, raw: string): boolean {
  const holder = parseHolder(raw);
  if (holder === undefined) return ageMs(path) > EMPTY_LOCK_GRACE_MS;
  return !isAlive(holder);
}

function breakStale(path: string, seen: string): void {
  const guard = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (ageMs(guard) > BREAK_GRACE_MS) unlinkQuiet(guard);
    return;
  }
  closeSync(fd);
  try {
    // Still the same dead holder? Another waiter may have broken it and taken the lock meanwhile.
    if (readRaw(path) === seen) unlinkQuiet(path);
  } finally {
    unlinkQuiet(guard);
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStart(holder.pid);
  return holder.start === undefined || start === undefined || start === holder.start;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), where /proc exists. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string): Holder | undefined {
  try {
    const h = JSON.parse(raw) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.token === 'string' ? (h as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
