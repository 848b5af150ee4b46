/**
 * Applies one contract event: the single code path behind `ras contract apply` and `ras serve`.
 *
 *   validate → lock the tenant → finish a crashed apply → duplicate? → version → build the new
 *   contract (allocating for a new tenant under the fleet allocation lock) → check the whole
 *   fleet with it in place → journal → atomic write (or removal) → audit → index → synthesize
 *
 * Nothing is written until every check has passed; a crash at any point leaves either the old
 * contract or the new one, and the next apply for the tenant completes or discards the journal.
 * The tenant is marked "synthesis owed" before its contract is replaced, so a crash before the
 * synthesis finished is made good by the next apply of the tenant, even a duplicate (owed.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet, type ContractPaths, type TenantOverlay } from '../contract/load';
import { ContractError } from '../contract/problems';
import type { FleetModel } from '../contract/model';
import type { TenantContract } from '../contract/types';
import { contractLinkKey } from '../contract/backbone-links';
import { appendAudit, type AuditRecord } from './audit';
import { removeFileDurably, writeFileAtomic } from './atomic';
import { buildNext } from './build';
import { todayInJapan } from '../lib/calendar';
import { diffContracts, type FieldChange } from './diff';
import { EventError, type EventProblem } from './errors';
import { acquireLock, LockTimeoutError, type HeldLock } from './lock';
import { keepStackForDestroy } from './keep-stack';
import { synthesizeIfOwed, synthesizeSettled, type Synthesize, type SynthRun } from './owed';
import { renderChangedContract, renderNewContract } from './render';
import { contractFile, finishRecords, recoverAbandoned, recoverTenant } from './recover';
import { eventDigest, EventState, type AppliedEntry, type Allocation, type PendingApply, type Tombstone } from './state';
import { testPause } from './test-hooks';
import type { ContractEvent, EventKind } from './types';
import { checkEvent, looseEventFacts } from './validate';

/** Applies of one tenant queue behind each other; a minute covers a long queue of them. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export type { Synthesize };

export interface ApplyOptions {
  readonly paths: ContractPaths;
  /** Folder for the applied-events index, journal, locks and audit log. */
  readonly stateDir: string;
  readonly via: 'cli' | 'http';
  /** cdktf output folder, for the stack path reported. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Runs after the contract is written; omitted: no synthesis (the result says so). */
  readonly synthesize?: Synthesize;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** How long to wait for another apply of the same tenant (and for the synth lock: twice that). @default 60000 */
  readonly lockTimeoutMs?: number;
}

export interface ApplyResult {
  readonly outcome: 'applied' | 'duplicate';
  readonly eventId: string;
  readonly tenant: string;
  readonly kind: EventKind;
  readonly version: number;
  readonly changes: readonly FieldChange[];
  readonly allocated?: Readonly<Record<string, string | number>>;
  /**
   * The stack folder and what to do with it: deploy (apply) or, after a purge, destroy. For a
   * purge, `kept` says whether the last synthesized stack was copied to the state folder (else
   * `dir` is where it would be, and it must be synthesized from the audit log's contract first).
   */
  readonly stack?: { readonly id: string; readonly dir: string; readonly action: 'deploy' | 'destroy'; readonly kept?: boolean };
  /**
   * `recovered`: this synthesis was owed by an earlier apply of the tenant that did not finish its
   * own (it died, or ran without synthesis); set on a duplicate that synthesized the stack.
   */
  readonly synth: { readonly status: 'done' | 'skipped' | 'failed'; readonly error?: string; readonly recovered?: boolean };
  /** The contract had been written by an apply that died; this one completed its records. */
  readonly recovered?: boolean;
}

/** Parses, validates and applies an event given as JSON text (the CLI's file, the HTTP body). */
export async function applyEventText(text: string, opts: ApplyOptions): Promise<ApplyResult> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const err = new EventError('malformed-json', `the event is not JSON: ${(e as Error).message}`);
    refuse(opts, {}, err);
    throw err;
  }
  return applyEvent(data, opts);
}

export async function applyEvent(data: unknown, opts: ApplyOptions): Promise<ApplyResult> {
  let event: ContractEvent;
  try {
    event = checkEvent(data);
  } catch (e) {
    if (e instanceof EventError) refuse(opts, looseEventFacts(data), e);
    throw e;
  }
  const state = new EventState(opts.stateDir);
  // Before taking any lock: finish other tenants' dead applies, so the audit log never misses one.
  await recoverAbandoned(state, opts.paths.tenantsDir, event.tenant);
  let lock: HeldLock;
  try {
    lock = await acquireLock(state.tenantLockFile(event.tenant), { timeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS });
  } catch (e) {
    throw refusedLock(opts, event, e);
  }
  let result: Omit<ApplyResult, 'synth'>;
  try {
    result = await applyLocked(event, state, opts);
  } finally {
    lock.release();
  }
  return synthesizeAfter(result, state, opts);
}

async function applyLocked(event: ContractEvent, state: EventState, opts: ApplyOptions): Promise<Omit<ApplyResult, 'synth'>> {
  const now = opts.now?.() ?? new Date();
  const recovered = recoverTenant(event.tenant, state, opts.paths.tenantsDir);

  const digest = eventDigest(event);
  const seen = state.applied(event.id);
  if (seen !== undefined) {
    if (seen.tenant !== event.tenant || seen.digest !== digest) {
      throw refused(opts, event, new EventError('event-id-reused', `event id ${event.id} was already applied (${seen.kind} of ${seen.tenant}, version ${seen.version}) with different content`));
    }
    appendAudit(state.auditFile, { ...facts(event, now), outcome: 'duplicate', via: opts.via });
    return { outcome: 'duplicate', eventId: event.id, tenant: event.tenant, kind: event.kind, version: event.version, changes: [], recovered: recovered || undefined };
  }

  // A new tenant's allocation must see every other allocation: creations are serialized fleet-wide.
  // Lock order is always tenant, then allocation, so two applies can never wait on each other.
  let allocationLock: HeldLock | undefined;
  if (event.kind === 'created') {
    try {
      allocationLock = await acquireLock(state.allocationLockFile, { timeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS });
    } catch (e) {
      throw refusedLock(opts, event, e);
    }
  }
  try {
    return commit(event, digest, state, opts, now);
  } catch (e) {
    if (e instanceof EventError) throw refused(opts, event, e);
    throw e;
  } finally {
    allocationLock?.release();
  }
}

function commit(event: ContractEvent, digest: string, state: EventState, opts: ApplyOptions, now: Date): Omit<ApplyResult, 'synth'> {
  const fleet = loadOrRefuse(() => loadFleet(opts.paths), 'fleet-invalid', 'the contracts on disk fail the checks, so no event can be judged against them');
  const file = contractFile(opts.paths.tenantsDir, event.tenant);
  const exists = fleet.tenants.some((t) => t.id === event.tenant);
  const decision = decide(event, digest, {
    fleet,
    file,
    currentText: exists ? readFileSync(file, 'utf8') : undefined,
    tombstone: state.tombstone(event.tenant),
    reserved: state.tombstones().map((t) => t.allocation),
    now,
    via: opts.via,
  });
  const overlay: TenantOverlay = new Map([[file, decision.text]]);
  loadOrRefuse(() => loadFleet(opts.paths, overlay), 'contract-invalid', `the contract of ${event.tenant} after this event would not pass the contract checks`);
  return write(decision, state, opts.outdir ?? 'cdktf.out');
}

/** What is read from disk before an event is judged. */
interface DecisionInput {
  /** The fleet as it is (checked). */
  readonly fleet: FleetModel;
  /** The tenant's contract file, and its text when the tenant has one. */
  readonly file: string;
  readonly currentText: string | undefined;
  /** The tenant's tombstone, if it was purged. */
  readonly tombstone: Tombstone | undefined;
  /** What purged tenants still hold until their stacks are destroyed. */
  readonly reserved: readonly Allocation[];
  readonly now: Date;
  readonly via: ApplyOptions['via'];
}

/** What applying an event does, decided before anything is written. */
interface Decision {
  readonly event: ContractEvent;
  readonly file: string;
  /** The contract file's new text; null: the file is removed (a purge). */
  readonly text: string | null;
  readonly changes: readonly FieldChange[];
  readonly allocated?: Readonly<Record<string, string | number>>;
  /** The records to journal, then write: applied-events entry, audit record, tombstone. */
  readonly pending: PendingApply;
}

/**
 * Judges `event` against what is on disk, without writing: refuses a stale version or a purged
 * tenant (EventError), else builds the next contract, its text and the records of the apply.
 */
function decide(event: ContractEvent, digest: string, input: DecisionInput): Decision {
  const { fleet, tombstone, now } = input;
  const current = fleet.tenants.find((t) => t.id === event.tenant)?.contract;
  const appliedVersion = current?.contractVersion ?? (current === undefined ? tombstone?.version : undefined) ?? 0;
  if (event.version <= appliedVersion) {
    throw new EventError('stale-version', `version ${event.version} is not newer than version ${appliedVersion} already applied to ${event.tenant}`);
  }
  if (current === undefined && tombstone !== undefined) {
    throw new EventError('tenant-purged', `tenant ${event.tenant} was purged at ${tombstone.purgedAt} (event ${tombstone.lastEventId}); its id is retired`);
  }

  const others = fleet.tenants.filter((t) => t.id !== event.tenant).map((t) => t.contract);
  const reserved = input.reserved;
  const built = buildNext(event, current, {
    fleet: fleet.settings,
    today: todayInJapan(now),
    claims: {
      cidrs: [...others.flatMap((c) => [c.network.vpcCidr, c.gateway.clientPool]), ...reserved.flatMap((a) => [a.vpcCidr, a.clientPool])],
      // VLAN ids are unique per backbone link: only a link's tenants hold ids a new tenant on that
      // link cannot have. Purged tenants' ids stay reserved on every link (tombstones keep no link).
      vlans: reserved.map((a) => a.vlanId),
      vlansOnLink: vlansByLink(others),
    },
  });

  const changes = diffContracts(current ?? {}, built.contract ?? {});
  const text =
    built.contract === null
      ? null
      : input.currentText === undefined
        ? renderNewContract(built.contract, event.id)
        : renderChangedContract(input.currentText, changes, built.contract);

  const entry: AppliedEntry = { id: event.id, tenant: event.tenant, version: event.version, kind: event.kind, digest, appliedAt: now.toISOString() };
  const audit: AuditRecord = {
    ...facts(event, now),
    outcome: 'applied',
    via: input.via,
    previousVersion: current === undefined ? undefined : appliedVersion,
    changes,
    allocated: built.allocated,
    contract: built.contract === null ? current : undefined,
  };
  const pending: PendingApply = {
    entry,
    audit,
    tombstone:
      built.contract === null && current !== undefined
        ? {
            tenant: event.tenant,
            version: event.version,
            lastEventId: event.id,
            purgedAt: now.toISOString(),
            allocation: { vpcCidr: current.network.vpcCidr, clientPool: current.gateway.clientPool, vlanId: current.network.vlanId },
          }
        : undefined,
  };
  return { event, file: input.file, text, changes, allocated: built.allocated, pending };
}

/**
 * Carries out a decision: keeps a purged tenant's stack for its destroy, claims the event id,
 * marks the synthesis owed, journals the records, writes (or removes) the contract, then the records.
 */
function write(decision: Decision, state: EventState, outdir: string): Omit<ApplyResult, 'synth'> {
  const { event, file, text, pending } = decision;
  const stackDir = join(outdir, 'stacks', event.tenant);
  const kept = text === null && keepStackForDestroy(stackDir, state.destroyDir(event.tenant));

  if (!state.claim(event.id, event.tenant, pending.entry.digest)) {
    throw new EventError('event-id-reused', `event id ${event.id} is being applied to another tenant or with different content`);
  }
  // Owed before the contract changes: whatever dies from here on, its stack gets synthesized.
  if (text !== null) state.markSynthOwed({ tenant: event.tenant, version: event.version, eventId: event.id, since: pending.entry.appliedAt });
  // Journal first: if this process dies after the rename, the next apply finishes the records.
  state.writePending(event.tenant, pending);
  if (text === null) removeFileDurably(file);
  else writeFileAtomic(file, text, () => testPause('before-rename'));
  testPause('after-rename');
  finishRecords(state, pending);

  return {
    outcome: 'applied',
    eventId: event.id,
    tenant: event.tenant,
    kind: event.kind,
    version: event.version,
    changes: decision.changes,
    allocated: decision.allocated,
    stack:
      text === null
        ? { id: event.tenant, dir: kept ? state.destroyDir(event.tenant) : stackDir, action: 'destroy', kept }
        : { id: event.tenant, dir: stackDir, action: 'deploy' },
  };
}

function loadOrRefuse(load: () => FleetModel, code: 'contract-invalid' | 'fleet-invalid', why: string): FleetModel {
  try {
    return load();
  } catch (e) {
    if (!(e instanceof ContractError)) throw e;
    const problems: EventProblem[] = e.problems.map((p) => ({ code: p.code, field: p.field, message: p.message, file: p.file, line: p.line, column: p.column }));
    throw new EventError(code, `${why}:\n${e.message}`, problems);
  }
}

/**
 * After the tenant lock is released, so a slow synthesis never holds up the tenant's next event.
 * Synthesis reads the contract from disk and runs one at a time (the synth lock), so the last
 * synthesis of a tenant always starts after its last write and the stack ends at the latest
 * contract. The contract is already applied: a failed synthesis is reported, never undone.
 * A duplicate synthesizes only a stack still owed by an earlier apply that did not finish.
 */
async function synthesizeAfter(result: Omit<ApplyResult, 'synth'>, state: EventState, opts: ApplyOptions): Promise<ApplyResult> {
  // A purged tenant has no contract left to synthesize (its stack folder is destroyed as is).
  if (result.stack?.action === 'destroy' || opts.synthesize === undefined) return { ...result, synth: { status: 'skipped' } };
  const run: SynthRun = { tenantsDir: opts.paths.tenantsDir, synthesize: opts.synthesize, lockTimeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS };
  if (result.outcome === 'duplicate') {
    const owed = await synthesizeIfOwed(result.tenant, state, run);
    if (owed === undefined) return { ...result, synth: { status: 'skipped' } };
    if (owed.status === 'failed') return { ...result, synth: { status: 'failed', error: owed.error, recovered: true } };
    return { ...result, stack: { id: result.tenant, dir: owed.dir, action: 'deploy' }, synth: { status: 'done', recovered: true } };
  }
  testPause('before-synth');
  try {
    const { dir } = await synthesizeSettled(result.tenant, state, run);
    return { ...result, stack: { id: result.tenant, dir, action: 'deploy' }, synth: { status: 'done' } };
  } catch (e) {
    return { ...result, synth: { status: 'failed', error: (e as Error).message } };
  }
}

function facts(event: ContractEvent, now: Date): Pick<AuditRecord, 'at' | 'eventId' | 'tenant' | 'kind' | 'version' | 'occurredAt'> {
  return { at: now.toISOString(), eventId: event.id, tenant: event.tenant, kind: event.kind, version: event.version, occurredAt: event.occurredAt };
}

/** Records a refusal in the audit log (every event received is accounted for) and returns the error. */
function refused(opts: ApplyOptions, event: ContractEvent, err: EventError): EventError {
  refuse(opts, { id: event.id, tenant: event.tenant, version: event.version, kind: event.kind }, err);
  return err;
}

function refusedLock(opts: ApplyOptions, event: ContractEvent, e: unknown): unknown {
  if (!(e instanceof LockTimeoutError)) return e;
  return refused(opts, event, new EventError('lock-timeout', `another apply of ${event.tenant} is still running; retry later`));
}

function refuse(opts: ApplyOptions, f: ReturnType<typeof looseEventFacts>, err: EventError): void {
  const now = opts.now?.() ?? new Date();
  const state = new EventState(opts.stateDir);
  appendAudit(state.auditFile, {
    at: now.toISOString(),
    outcome: 'refused',
    eventId: f.id,
    tenant: f.tenant,
    kind: f.kind,
    version: f.version,
    error: { code: err.code, message: err.message.split('\n')[0] },
    via: opts.via,
  });
}

/** The VLAN ids each backbone link carries (contract/backbone-links.ts). */
function vlansByLink(contracts: readonly TenantContract[]): Map<string, number[]> {
  const byLink = new Map<string, number[]>();
  for (const c of contracts) {
    const key = contractLinkKey(c);
    const list = byLink.get(key) ?? [];
    list.push(c.network.vlanId);
    byLink.set(key, list);
  }
  return byLink;
}
