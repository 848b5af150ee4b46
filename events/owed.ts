/**
 * Synthesis owed. Synthesis runs after the apply has released the tenant lock, so a writer can
 * die with the new contract on disk and the stack still built from the old one (a terminated
 * tenant keeping its gateway). The journal cannot tell: it is gone once the records are written.
 * So an apply marks the tenant (state/synth-owed/<tenant>.json) under the tenant lock before it
 * replaces the contract, and only a synthesis known to have read the contract now on disk clears
 * the mark. Whoever finds a mark synthesizes again: the next apply of the tenant (a duplicate
 * too), `ras contract due` and `ras serve` at startup.
 *
 * Lock order: synth lock, then tenant lock (to clear a mark). An apply never waits for the synth
 * lock while it holds a tenant lock, so the two can never wait on each other.
 */
import { readFileSync } from 'node:fs';
import { acquireLock, LockTimeoutError, type HeldLock } from './lock';
import { contractFile } from './recover';
import type { EventState } from './state';

/** Synthesizes one tenant's stack; returns the stack folder to deploy. */
export type Synthesize = (tenant: string) => Promise<{ readonly dir: string }>;

export interface SynthRun {
  readonly tenantsDir: string;
  readonly synthesize: Synthesize;
  /** Tenant lock wait; the synth lock waits twice that (as in apply.ts). */
  readonly lockTimeoutMs: number;
}

export type OwedOutcome = { readonly status: 'done'; readonly dir: string } | { readonly status: 'failed'; readonly error: string };

/**
 * Synthesizes `tenant` under the synth lock and clears its mark if the contract did not change
 * while it ran. Throws when synthesis (or the synth lock) fails: the mark stays.
 */
export async function synthesizeSettled(tenant: string, state: EventState, run: SynthRun): Promise<{ readonly dir: string }> {
  const lock = await acquireLock(state.synthLockFile, { timeoutMs: 2 * run.lockTimeoutMs });
  try {
    const before = contractText(run.tenantsDir, tenant);
    const result = await run.synthesize(tenant);
    // Contracts are replaced whole and never repeat (each write carries a new version and event
    // id): the same text before and after means the synthesis read exactly this contract.
    await withTenantLock(tenant, state, run, () => {
      if (before !== undefined && contractText(run.tenantsDir, tenant) === before) state.clearSynthOwed(tenant);
    });
    return result;
  } finally {
    lock.release();
  }
}

/** Synthesizes `tenant` if its stack is owed; undefined when nothing was owed. Never throws for a failed synthesis. */
export async function synthesizeIfOwed(tenant: string, state: EventState, run: SynthRun): Promise<OwedOutcome | undefined> {
  if (state.synthOwed(tenant) === undefined) return undefined;
  if (contractText(run.tenantsDir, tenant) === undefined) {
    // A creation that died before its rename: no contract, so no stack is owed. Checked again
    // under the lock, since a live creation marks the tenant before its file appears.
    await withTenantLock(tenant, state, run, () => {
      if (contractText(run.tenantsDir, tenant) === undefined) state.clearSynthOwed(tenant);
    });
    return undefined;
  }
  try {
    const { dir } = await synthesizeSettled(tenant, state, run);
    return { status: 'done', dir };
  } catch (e) {
    return { status: 'failed', error: (e as Error).message };
  }
}

/** Every owed stack, one tenant after another (`ras serve` at startup, `ras contract due`). */
export async function synthesizeAllOwed(state: EventState, run: SynthRun): Promise<({ readonly tenant: string } & OwedOutcome)[]> {
  const outcomes: ({ readonly tenant: string } & OwedOutcome)[] = [];
  for (const tenant of state.owedTenants()) {
    const outcome = await synthesizeIfOwed(tenant, state, run);
    if (outcome !== undefined) outcomes.push({ tenant, ...outcome });
  }
  return outcomes;
}

/** Runs `fn` under the tenant lock; when the lock stays busy, skips it (the mark stays, so the next check synthesizes again). */
async function withTenantLock(tenant: string, state: EventState, run: SynthRun, fn: () => void): Promise<void> {
  let lock: HeldLock;
  try {
    lock = await acquireLock(state.tenantLockFile(tenant), { timeoutMs: run.lockTimeoutMs });
  } catch (e) {
    if (e instanceof LockTimeoutError) return;
    throw e;
  }
  try {
    fn();
  } finally {
    lock.release();
  }
}

function contractText(tenantsDir: string, tenant: string): string | undefined {
  try {
    return readFileSync(contractFile(tenantsDir, tenant), 'utf8');
  } catch (e) {
    // A purge may remove the file at any moment outside the tenant lock.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
