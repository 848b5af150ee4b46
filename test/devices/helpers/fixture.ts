/** A private copy of fleet.yaml and tenants/ plus state and secrets folders, and `ras device` as a child process. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..', '..');
const CLI = join(__dirname, 'device-cli.js');

export interface DeviceFixture {
  readonly root: string;
  readonly secrets: string;
  readonly state: string;
  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** `--tenant T --secrets DIR` for every call. */
  common(tenant?: string): string[];
  pub(tenant: string): string;
  cleanup(): void;
}

export function makeDeviceFixture(): DeviceFixture {
  const root = mkdtempSync(join(tmpdir(), 'ras-devices-'));
  cpSync(join(REPO, 'fleet.yaml'), join(root, 'fleet.yaml'));
  cpSync(join(REPO, 'tenants'), join(root, 'tenants'), { recursive: true });
  const secrets = join(root, 'secrets');
  const state = join(root, 'state');
  return {
    root,
    secrets,
    state,
    run: (args, env = {}) =>
      new Promise((done) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => done({ code, stdout, stderr }));
      }),
    common: (tenant = 'sakura-trading') => ['--tenant', tenant, '--secrets', secrets, '--state', state],
    pub: (tenant) => join(state, 'devices', 'public', tenant),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function openssl(args: readonly string[], input?: string): { code: number; out: string } {
  const r = spawnSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, out: `${r.stdout.toString()}${r.stderr.toString()}` };
}

/** strongswan.conf that adds charon's `constraints` plugin to pki's own list (see the file). */
export const PKI_CONF = join(__dirname, 'pki-strongswan.conf');

/** strongSwan's pki, validating as charon does (name constraints and pathlen included). */
export function pki(args: readonly string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('pki', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STRONGSWAN_CONF: PKI_CONF } }).toString() };
  } catch (e) {
    const err = e as { status: number; stdout: Buffer; stderr: Buffer };
    return { code: err.status, out: `${err.stdout.toString()}${err.stderr.toString()}` };
  }
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

export function text(file: string): string {
  return readFileSync(file, 'utf8');
}
