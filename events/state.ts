/**
 * The contract system's own records, kept outside git in one folder (`state/` by default):
 *
 *   events/<sha256 of event id>.json   applied-events index (duplicate detection)
 *   events/<sha256 of event id>.claim  the id reserved for one tenant and content (see claim())
 *   tenants/<tenant>.json              tombstone of a purged tenant (its version and allocations)
 *   pending/<tenant>.json              write-ahead record of an apply in progress (crash recovery)
 *   synth-owed/<tenant>.json           the tenant's stack may lag its contract (see owed.ts)
 *   locks/tenant-<tenant>.lock         per-tenant lock; fleet-allocation.lock, synth.lock
 *   destroy/<tenant>.stack/            a purged tenant's last stack, kept for `terraform destroy`
 *   audit.jsonl                        append-only audit log (see audit.ts)
 *
 * Tenant ids reach these paths only after the event schema accepted them; `tenantFile` checks
 * again so no caller can build a path from an unchecked id.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../lib/canonical-json';
import { writeAll } from '../lib/fd';
import { removeFileDurably, writeFileAtomic } from './atomic';
import type { AuditRecord } from './audit';
import type { EventKind } from './types';
import { TENANT_ID } from './validate';

export interface AppliedEntry {
  readonly id: string;
  readonly tenant: string;
  readonly version: number;
  readonly kind: EventKind;
  /** sha256 of the event's canonical JSON: the same id with other content is not a duplicate. */
  readonly digest: string;
  readonly appliedAt: string;
}

export interface Allocation {
  readonly vpcCidr: string;
  readonly clientPool: string;
  readonly vlanId: number;
}

export interface Tombstone {
  readonly tenant: string;
  readonly version: number;
  readonly lastEventId: string;
  readonly purgedAt: string;
  /** Kept reserved: the purged tenant's stack is destroyed after the purge, so its addresses may still be in use. */
  readonly allocation: Allocation;
}

/** Why a tenant's stack is owed a synthesis: the event that last wrote (or is writing) its contract. */
export interface OwedSynth {
  readonly tenant: string;
  readonly version: number;
  readonly eventId: string;
  readonly since: string;
}

/** What an apply in progress will have done once it completes; replayed after a crash. */
export interface PendingApply {
  readonly entry: AppliedEntry;
  readonly audit: AuditRecord;
  readonly tombstone?: Tombstone;
}

export class EventState {
  /** `create: false` for read-only uses (ras contract due), which must not leave folders behind. */
  constructor(
    public readonly dir: string,
    { create = true }: { create?: boolean } = {},
  ) {
    if (create) for (const sub of ['events', 'tenants', 'pending', 'synth-owed', 'locks', 'destroy']) mkdirSync(join(dir, sub), { recursive: true });
  }

  public get auditFile(): string {
    return join(this.dir, 'audit.jsonl');
  }

  public tenantLockFile(tenant: string): string {
    return this.tenantFile('locks', tenant, 'lock', 'tenant-');
  }

  public get allocationLockFile(): string {
    return join(this.dir, 'locks', 'fleet-allocation.lock');
  }

  /** Where a purged tenant's last synthesized stack is kept until it has been destroyed. */
  public destroyDir(tenant: string): string {
    return this.tenantFile('destroy', tenant, 'stack');
  }

  /** Synthesis merges into one cdktf.out manifest: one synthesis at a time. */
  public get synthLockFile(): string {
    return join(this.dir, 'locks', 'synth.lock');
  }

  public applied(eventId: string): AppliedEntry | undefined {
    return readJson<AppliedEntry>(this.indexFile(eventId));
  }

  /**
   * Reserves an event id for one tenant and content, atomically across processes (O_EXCL), just
   * before the apply writes anything. Tenant locks cannot see each other, so this is what stops
   * the same id from being applied to two tenants at the same moment. A claim left by a writer
   * that died is this event's own when tenant and digest match, and is honoured.
   */
  public claim(eventId: string, tenant: string, digest: string): boolean {
    const file = this.indexFile(eventId).replace(/\.json$/, '.claim');
    const mine = JSON.stringify({ id: eventId, tenant, digest });
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeAll(fd, Buffer.from(mine));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return readFileSync(file, 'utf8') === mine;
    }
  }

  public recordApplied(entry: AppliedEntry): void {
    writeFileAtomic(this.indexFile(entry.id), `${JSON.stringify(entry)}\n`);
  }

  public tombstone(tenant: string): Tombstone | undefined {
    return readJson<Tombstone>(this.tenantFile('tenants', tenant, 'json'));
  }

  public writeTombstone(t: Tombstone): void {
    writeFileAtomic(this.tenantFile('tenants', t.tenant, 'json'), `${JSON.stringify(t, null, 2)}\n`);
  }

  /** Every tombstone, for the allocator (purged tenants' blocks stay reserved). */
  public tombstones(): Tombstone[] {
    const dir = join(this.dir, 'tenants');
    return listJson(dir).flatMap((f) => readJson<Tombstone>(join(dir, f)) ?? []);
  }

  public pending(tenant: string): PendingApply | undefined {
    return readJson<PendingApply>(this.tenantFile('pending', tenant, 'json'));
  }

  public writePending(tenant: string, p: PendingApply): void {
    writeFileAtomic(this.tenantFile('pending', tenant, 'json'), `${JSON.stringify(p)}\n`);
  }

  /** Tenants with a journal, i.e. an apply in progress or one that died. */
  public pendingTenants(): string[] {
    return listJson(join(this.dir, 'pending'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((t) => TENANT_ID.test(t));
  }

  public clearPending(tenant: string): void {
    removeFileDurably(this.tenantFile('pending', tenant, 'json'));
  }

  public synthOwed(tenant: string): OwedSynth | undefined {
    return readJson<OwedSynth>(this.tenantFile('synth-owed', tenant, 'json'));
  }

  /** Durable before it returns: it is written before the contract is replaced (see owed.ts). */
  public markSynthOwed(owed: OwedSynth): void {
    writeFileAtomic(this.tenantFile('synth-owed', owed.tenant, 'json'), `${JSON.stringify(owed)}\n`);
  }

  /** Tenants whose stack is owed a synthesis. */
  public owedTenants(): string[] {
    return listJson(join(this.dir, 'synth-owed'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((t) => TENANT_ID.test(t));
  }

  /** Idempotent: recovery may clear a mark twice. */
  public clearSynthOwed(tenant: string): void {
    const file = this.tenantFile('synth-owed', tenant, 'json');
    if (existsSync(file)) removeFileDurably(file);
  }

  private indexFile(eventId: string): string {
    // Hashed: the id is free-form text from the sender and never becomes a path itself.
    return join(this.dir, 'events', `${createHash('sha256').update(eventId).digest('hex')}.json`);
  }

  private tenantFile(sub: string, tenant: string, ext: string, prefix = ''): string {
    if (!TENANT_ID.test(tenant)) throw new Error(`refusing to build a path from tenant id ${JSON.stringify(tenant)}`);
    return join(this.dir, sub, `${prefix}${tenant}.${ext}`);
  }
}

/** sha256 over JSON with sorted keys, so the digest does not depend on the sender's key order. */
export function eventDigest(event: unknown): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function listJson(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
}
