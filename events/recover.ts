/**
 * Crash recovery. An apply writes a journal (state/pending/<tenant>.json) before it replaces the
 * contract file, and removes it once the audit line and index entry are written. A journal left
 * behind means the apply died; whether its event happened is decided by the contract file alone:
 *
 *   - the file carries the journal's version (or, for a purge, is gone): the event happened, so
 *     the missing audit line (marked `recovered`), index entry and tombstone are written now;
 *   - otherwise nothing happened: the journal and the dead writer's temporary file are dropped,
 *     and the sender's retry applies the event.
 *
 * Every step is idempotent, so recovery can itself be interrupted and run again.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TenantContract } from '../contract/types';
import { appendAudit, readAudit } from './audit';
import { acquireLock, LockTimeoutError } from './lock';
import type { EventState, PendingApply } from './state';

/** Audit line, index entry, tombstone (and the owed mark), then drop the journal: in that order. */
export function finishRecords(state: EventState, pending: PendingApply, recovered = false): void {
  const logged = recovered && readAudit(state.auditFile).some((r) => r.eventId === pending.entry.id && r.outcome === 'applied');
  if (!logged) appendAudit(state.auditFile, recovered ? { ...pending.audit, recovered: true } : pending.audit);
  state.recordApplied(pending.entry);
  if (pending.tombstone !== undefined) {
    state.writeTombstone(pending.tombstone);
    // A purged tenant has no contract to synthesize: nothing is owed any more.
    state.clearSynthOwed(pending.entry.tenant);
  }
  state.clearPending(pending.entry.tenant);
}

/** Completes or discards a dead apply of `tenant`. The caller holds the tenant's lock. Returns true when an event was completed. */
export function recoverTenant(tenant: string, state: EventState, tenantsDir: string): boolean {
  removeStaleTemps(tenantsDir, tenant);
  const pending = state.pending(tenant);
  if (pending === undefined) return false;
  const file = contractFile(tenantsDir, tenant);
  const onDisk = existsSync(file) ? readVersion(file) : null;
  const happened = pending.entry.kind === 'purged' ? onDisk === null : onDisk === pending.entry.version;
  if (happened) finishRecords(state, pending, true);
  else state.clearPending(tenant);
  return happened;
}

/**
 * Recovers every tenant whose journal was left by a dead writer, so the audit log accounts for an
 * event even when no later event of that tenant comes. A tenant whose lock is held (a live apply)
 * is skipped: its owner finishes the job.
 */
export async function recoverAbandoned(state: EventState, tenantsDir: string, except?: string): Promise<string[]> {
  const recovered: string[] = [];
  for (const tenant of state.pendingTenants().filter((t) => t !== except)) {
    let lock;
    try {
      lock = await acquireLock(state.tenantLockFile(tenant), { timeoutMs: 0 });
    } catch (e) {
      if (e instanceof LockTimeoutError) continue;
      throw e;
    }
    try {
      if (recoverTenant(tenant, state, tenantsDir)) recovered.push(tenant);
    } finally {
      lock.release();
    }
  }
  return recovered;
}

/** The contract file of a tenant (the loader also accepts .yml). */
export function contractFile(tenantsDir: string, tenant: string): string {
  const yml = join(tenantsDir, `${tenant}.yml`);
  return existsSync(yml) ? yml : join(tenantsDir, `${tenant}.yaml`);
}

/** The contractVersion in a file; contract/ stays the only code that reads contract YAML. */
function readVersion(file: string): number | undefined {
  const data = parse(readFileSync(file, 'utf8'), { schema: 'core' }) as Partial<TenantContract> | null;
  return data?.contractVersion;
}

/** Temporary files of writers that died before their rename (see atomic.ts for the name). */
function removeStaleTemps(dir: string, tenant: string): void {
  // The tenant id is schema-checked ([a-z0-9-] only), so it is safe inside a pattern.
  const temp = new RegExp(`^\\.${tenant}\\.ya?ml\\.\\d+\\.\\d+\\.tmp$`);
  for (const f of readdirSync(dir)) if (temp.test(f)) unlinkSync(join(dir, f));
}
