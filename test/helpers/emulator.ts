/**
 * The AWS API emulator of the deploy tests: moto's server, started through
 * test/deploy/emulator/moto_launcher.py (which patches moto's known gaps), on a free loopback port.
 *
 * What this harness changes in a synthesized stack, and why (the stacks users deploy are never
 * changed otherwise):
 * - provider version: the mirror holds only hashicorp/aws 5.100.0 (the binding targets 6.25.0);
 * - `s3_use_path_style` on the provider and `use_path_style` on the S3 backend: the emulator is
 *   one address (127.0.0.1:PORT), so bucket names cannot be host names.
 * Endpoints and keys come from the environment (AWS_ENDPOINT_URL, fake keys); the emulator
 * answers as the fleet's account (MOTO_ACCOUNT_ID), so allowed_account_ids stays as synthesized.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const LAUNCHER = join(__dirname, '..', 'deploy', 'emulator', 'moto_launcher.py');

/** What is missing to run the emulator, or undefined. */
export function emulatorMissing(python = process.env.RAS_PYTHON ?? 'python3'): string | undefined {
  const r = spawnSync(python, ['-c', 'import moto.server, moto; print(moto.__version__)'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${python} not found (${r.error.message}); the deploy tests need Python 3 with moto 5.2.1 and its server (moto_server)`;
  if (r.status !== 0) return `moto_server not available in ${python}: install moto 5.2.1 with its server (\`pip install 'moto[server]==5.2.1'\`, where PyPI is reachable); ${r.stderr.trim().split('\n').pop()}`;
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface Emulator {
  readonly endpoint: string;
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts the patched emulator answering as `accountId`; resolves once it answers. */
export async function startEmulator(accountId: string, python = process.env.RAS_PYTHON ?? 'python3'): Promise<Emulator> {
  const missing = emulatorMissing(python);
  if (missing !== undefined) throw new Error(missing);
  const port = await freePort();
  // HTTPS, as AWS: the state bucket's TLS-only policy is enforced by the emulator too.
  const tls = mkdtempSync(join(tmpdir(), 'ras-emulator-'));
  const [cert, key] = [join(tls, 'cert.pem'), join(tls, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const child: ChildProcess = spawn(python, [LAUNCHER, String(port), cert, key], { env: { ...process.env, MOTO_ACCOUNT_ID: accountId }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const endpoint = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}): ${stderr}`);
    try {
      if (spawnSync('curl', ['-sf', '--cacert', cert, '-o', '/dev/null', `${endpoint}/moto-api/`]).status === 0) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the emulator did not answer on ${endpoint} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOREXAMPLE0',
    AWS_SECRET_ACCESS_KEY: 'emulator-not-a-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CA_BUNDLE: cert,
  };
  return {
    endpoint,
    env,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(tls, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/** Rewrites a synthesized cdk.tf.json in place for the emulator (see the file comment), nothing else. */
export function adaptForEmulator(stackJsonFile: string, awsVersion: string): void {
  const json = JSON.parse(readFileSync(stackJsonFile, 'utf8'));
  json.terraform.required_providers.aws.version = awsVersion;
  if (json.terraform.backend?.s3 !== undefined) json.terraform.backend.s3.use_path_style = true;
  for (const provider of json.provider.aws) provider.s3_use_path_style = true;
  writeFileSync(stackJsonFile, JSON.stringify(json, null, 2));
}
