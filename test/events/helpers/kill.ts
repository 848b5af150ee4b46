/** Runs `ras contract apply` and kills it with SIGKILL: at a test-only pause point (events/test-hooks.ts), or after a delay. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PauseStage } from '../../../events/test-hooks';

export async function killMidApply(cwd: string, args: readonly string[], stage: PauseStage): Promise<NodeJS.Signals | null> {
  const marker = join(cwd, `paused-${stage}-${Date.now()}`);
  const child = spawn(process.execPath, [join(__dirname, 'contract-cli.js'), 'apply', ...args], {
    cwd,
    env: { ...process.env, RAS_TEST_PAUSE_AT: stage, RAS_TEST_PAUSE_MARKER: marker },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 30_000;
  while (!existsSync(marker)) {
    if (child.exitCode !== null) throw new Error(`the child exited with ${child.exitCode} before reaching ${stage}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the child never reached ${stage}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  return exited;
}

/** Kills the apply `delayMs` after it started, wherever it is (it may also have finished by then). */
export async function killApplyAfter(cwd: string, args: readonly string[], delayMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [join(__dirname, 'contract-cli.js'), 'apply', ...args], { cwd, stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  const result = await exited;
  clearTimeout(timer);
  return result;
}
