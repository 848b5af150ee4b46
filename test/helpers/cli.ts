/** Runs the built `ras` CLI as a real child process. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import execa from 'execa';
import { REPO } from './workspace';

export const RAS = join(REPO, 'dist', 'cli', 'ras.js');

export async function ras(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<execa.ExecaReturnValue> {
  if (!existsSync(RAS)) throw new Error(`${RAS} is missing: run \`npm run build\` first (npm test does)`);
  return execa('node', [RAS, ...args], { cwd, reject: false, env: { CHECKPOINT_DISABLE: '1', ...env } });
}
