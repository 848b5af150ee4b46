/**
 * The per-tenant ledger of issued serials and the transaction that changes it, with the guarantees
 * of contract events (contract/events/): the tenant's lock serializes writers, the ledger is
 * replaced atomically, each change leaves one audit line, and a journal written first lets the
 * next writer complete or undo a change whose writer died.
 *
 * Commit point: the ledger rename. Before it, recovery deletes the files the dead change created
 * (new serials only, never an existing one); after it, recovery re-writes the CRL and the chain
 * from the ledger and completes the audit line.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { removeFileDurably, writeFileAtomic } from '../events/atomic';
import { appendAudit, readAudit, type AuditRecord } from '../events/audit';
import { acquireLock } from '../events/lock';
import { testPause } from '../events/test-hooks';
import type { Curve } from './ca';
import type { DevicePaths } from './store';

export type CertStatus = 'active' | 'suspended' | 'revoked';
export type RevokeReason = 'keyCompromise' | 'superseded' | 'cessationOfOperation' | 'unspecified';

export interface IssuedCert {
  readonly serial: string;
  readonly curve: Curve;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly status: CertStatus;
  /** When the status last changed (revocation date for the CRL). */
  readonly statusAt: string;
  readonly reason?: RevokeReason;
}

export interface DeviceRecord {
  readonly identity: string;
  /** Oldest first; at most the last one is not revoked. */
  readonly certs: readonly IssuedCert[];
}

export interface Ledger {
  readonly tenant: string;
  /** Bumped by every change; also the CRL number of the CRL signed for that change. */
  readonly version: number;
  readonly ca?: { readonly certPem: string; readonly constraintsDigest: string };
  readonly crl?: { readonly thisUpdate: string; readonly nextUpdate: string };
  readonly devices: Readonly<Record<string, DeviceRecord>>;
}

interface Journal {
  readonly version: number;
  readonly audit: AuditRecord;
  /** Files this change creates; removed if it did not commit. */
  readonly creates: readonly string[];
}

export interface Change {
  readonly ledger: Ledger;
  readonly kind: string;
  readonly changes: AuditRecord['changes'];
  /** Created before the commit (secrets, certificates): [path, writer]. */
  readonly files: readonly { readonly path: string; readonly write: () => void }[];
}

export function emptyLedger(tenant: string): Ledger {
  return { tenant, version: 0, devices: {} };
}

export function readLedger(paths: DevicePaths, tenant: string): Ledger {
  try {
    return JSON.parse(readFileSync(paths.ledger(tenant), 'utf8')) as Ledger;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyLedger(tenant);
    throw e;
  }
}

/** Writes the public files that follow from a committed ledger (CRL, chain); idempotent. */
export type Publish = (ledger: Ledger) => Promise<void>;

export interface TransactOptions {
  readonly lockTimeoutMs?: number;
}

/**
 * Runs one change of `tenant`'s ledger under its lock: recovery of a dead writer first, then
 * `decide` (which may refuse by throwing), journal, files, ledger rename, publish, audit.
 */
export async function transact(
  paths: DevicePaths,
  tenant: string,
  decide: (ledger: Ledger) => Promise<Change>,
  publish: Publish,
  options: TransactOptions = {},
): Promise<Ledger> {
  paths.makeDirs(tenant);
  const lock = await acquireLock(paths.lock(tenant), { timeoutMs: options.lockTimeoutMs ?? 30_000 });
  try {
    await recoverLedger(paths, tenant, publish);
    const before = readLedger(paths, tenant);
    let change: Change;
    try {
      change = await decide(before);
    } catch (e) {
      appendAudit(paths.auditFile, { at: new Date().toISOString(), outcome: 'refused', tenant, kind: 'device', via: 'cli', error: { code: 'device-refused', message: (e as Error).message } });
      throw e;
    }
    const ledger: Ledger = { ...change.ledger, version: before.version + 1 };
    const audit: AuditRecord = {
      at: new Date().toISOString(),
      outcome: 'applied',
      eventId: `device-${randomUUID()}`,
      tenant,
      kind: change.kind,
      version: ledger.version,
      previousVersion: before.version,
      changes: change.changes,
      via: 'cli',
    };
    writeFileAtomic(paths.pending(tenant), `${JSON.stringify({ version: ledger.version, audit, creates: change.files.map((f) => f.path) } satisfies Journal)}\n`);
    for (const f of change.files) f.write();
    writeFileAtomic(paths.ledger(tenant), `${JSON.stringify(ledger, null, 2)}\n`, () => testPause('before-rename'));
    testPause('after-rename');
    await publish(ledger);
    appendAudit(paths.auditFile, audit);
    removeFileDurably(paths.pending(tenant));
    return ledger;
  } finally {
    lock.release();
  }
}

/** Completes or undoes a change whose writer died. The caller holds the tenant's lock. */
export async function recoverLedger(paths: DevicePaths, tenant: string, publish: Publish): Promise<'none' | 'completed' | 'undone'> {
  removeStaleTemps(paths.ledger(tenant));
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(paths.pending(tenant), 'utf8')) as Journal;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw e;
  }
  const ledger = readLedger(paths, tenant);
  if (ledger.version >= journal.version) {
    await publish(ledger);
    if (!readAudit(paths.auditFile).some((r) => r.eventId === journal.audit.eventId)) appendAudit(paths.auditFile, { ...journal.audit, recovered: true });
    removeFileDurably(paths.pending(tenant));
    return 'completed';
  }
  for (const f of journal.creates) if (existsSync(f)) unlinkSync(f);
  removeFileDurably(paths.pending(tenant));
  return 'undone';
}

/** Temporary files of a writer that died before its rename (named as in contract/events/atomic.ts). */
function removeStaleTemps(target: string): void {
  const dir = dirname(target);
  if (!existsSync(dir)) return;
  const prefix = `.${basename(target)}.`;
  for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.tmp')) unlinkSync(join(dir, f));
}
