/** Runs `ras contract apply` until a test-only pause point (contract/events/test-hooks.ts), then kills it with SIGKILL. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export async function killMidApply(cwd: string, args: readonly string[], stage: 'before-rename' | 'after-rename'): Promise<NodeJS.Signals | null> {
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
