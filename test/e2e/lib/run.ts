/**
 * Running programs from the end-to-end harness: always an argv (never a shell), with the
 * output kept for the failure message, and long-running daemons tracked by pid so that
 * cleanup ends exactly the processes this test started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Environment for daemons and tools: no TZ from the test runner, so the rootfs zone applies. */
export const CLEAN_ENV: NodeJS.ProcessEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

export function run(argv: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {}): RunResult {
  const t0 = Date.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    env: opts.env ?? CLEAN_ENV,
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${argv.join(' ')}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Runs and insists on success. */
export function must(argv: readonly string[], opts: Parameters<typeof run>[1] = {}): RunResult {
  const r = run(argv, opts);
  if (r.status !== 0) {
    throw new Error(`command failed (${r.status}): ${argv.join(' ')}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
  }
  return r;
}

export class Daemons {
  private readonly pids: { name: string; pid: number }[] = [];

  /** Starts a foreground daemon with its output in `logFile`. */
  start(name: string, argv: readonly string[], logFile: string, env: NodeJS.ProcessEnv = CLEAN_ENV): number {
    const fd = openSync(logFile, 'a');
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${name}`);
    child.unref();
    this.pids.push({ name, pid: child.pid });
    return child.pid;
  }

  alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Ends every daemon this harness started: TERM, then KILL after a grace period. */
  async stopAll(): Promise<void> {
    for (const { pid } of this.pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && this.pids.some((p) => this.alive(p.pid))) await sleep(100);
    for (const { pid } of this.pids) {
      if (this.alive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    this.pids.length = 0;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(250);
  }
}
