/** `ras serve` as a real child process on 127.0.0.1 (port chosen by the OS), stopped with SIGKILL. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  stderr(): string;
  kill(): Promise<void>;
}

export async function startServe(cwd: string, secret: string, args: readonly string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(__dirname, 'serve-cli.js'), '--port', '0', ...args], { cwd, env: { ...process.env, RAS_EVENT_SECRET: secret } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`ras serve exited with ${code}: ${stderr}`)));
  });
  return {
    port: Number(new URL(url).port),
    url,
    child,
    stderr: () => stderr,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
