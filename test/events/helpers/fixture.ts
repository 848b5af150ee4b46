/**
 * A private copy of the repository's fleet.yaml and tenants/ in a temp folder, so tests apply
 * real events to real files without ever touching the repository's own contracts.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ApplyOptions } from '../../../events/apply';
import { readAudit, type AuditRecord } from '../../../events/audit';
import type { ContractPaths } from '../../../contract/load';

export const REPO = resolve(__dirname, '..', '..', '..');

export interface Fixture {
  readonly root: string;
  readonly paths: ContractPaths;
  readonly stateDir: string;
  readonly outdir: string;
  options(extra?: Partial<ApplyOptions>): ApplyOptions;
  tenantText(tenant: string): string;
  audit(): AuditRecord[];
  cleanup(): void;
}

export function makeFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'ras-events-'));
  cpSync(join(REPO, 'fleet.yaml'), join(root, 'fleet.yaml'));
  cpSync(join(REPO, 'tenants'), join(root, 'tenants'), { recursive: true });
  const paths = { fleetFile: join(root, 'fleet.yaml'), tenantsDir: join(root, 'tenants') };
  const stateDir = join(root, 'state');
  const outdir = join(root, 'cdktf.out');
  return {
    root,
    paths,
    stateDir,
    outdir,
    options: (extra = {}) => ({ paths, stateDir, outdir, via: 'cli', ...extra }),
    tenantText: (tenant) => readFileSync(join(root, 'tenants', `${tenant}.yaml`), 'utf8'),
    audit: () => readAudit(join(stateDir, 'audit.jsonl')),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

let counter = 0;
/** A unique event id per call, so tests never collide by accident. */
export function nextId(prefix = 'evt'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

const OCCURRED = '2026-11-27T10:00:00+09:00';

export function createdEvent(tenant: string, version: number, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const code = String(5000 + n).padStart(7, '0');
  return {
    id: nextId(`create-${tenant}`),
    tenant,
    version,
    occurredAt: OCCURRED,
    kind: 'created',
    payload: {
      customer: { name: `Customer ${tenant}` },
      serviceCodes: { management: `RAM-${code}`, gateway: `RAG-${code}`, network: `RAN-${code}` },
      contractDate: '2026-11-01',
      region: 'ap-northeast-1',
      gateway: { type: 'A', sizing: { terminals: 100, requestsPerSecond: 50 }, protocols: ['ikev2'], authentication: ['certificate'] },
      accessControl: {
        userGroups: [{ name: 'staff', members: [`user@${tenant}.example`] }],
        hostGroups: [{ name: 'core', cidrs: ['172.20.0.0/24'] }],
        serviceGroups: [{ name: 'web', services: [{ protocol: 'tcp', ports: [443] }] }],
        rules: [{ userGroup: 'staff', hostGroup: 'core', serviceGroup: 'web' }],
      },
      network: { linkedService: 'private-backbone' },
      portal: {
        operators: [{ id: 'admin', email: `admin@${tenant}.example`, role: 'administrator' }],
        twoFactorRequired: true,
        allowedSourceCidrs: ['198.51.100.0/28'],
        lockoutThreshold: 5,
      },
      ...extra,
    },
  };
}

export function changedEvent(tenant: string, version: number, payload: Record<string, unknown>, id = nextId(`change-${tenant}`)): Record<string, unknown> {
  return { id, tenant, version, occurredAt: OCCURRED, kind: 'changed', payload };
}

export function terminatedEvent(tenant: string, version: number, terminationDate: string): Record<string, unknown> {
  return { id: nextId(`terminate-${tenant}`), tenant, version, occurredAt: OCCURRED, kind: 'terminated', payload: { terminationDate } };
}

export function purgedEvent(tenant: string, version: number): Record<string, unknown> {
  return { id: nextId(`purge-${tenant}`), tenant, version, occurredAt: OCCURRED, kind: 'purged', payload: {} };
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ras contract <args>` as a real child process (TypeScript sources via helpers/register.js). */
export function runContractCli(args: readonly string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<ChildResult> {
  return runNode([join(__dirname, 'contract-cli.js'), ...args], opts);
}

export function runNode(args: readonly string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
