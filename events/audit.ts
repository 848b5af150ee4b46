/**
 * The append-only audit log: one JSON object per line, one line per event received (applied,
 * duplicate or refused), so the log accounts for every event. Lines are appended with O_APPEND
 * in a single write and flushed before the apply reports success; concurrent writers (other
 * tenants, other processes) therefore never interleave inside a line.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeAll } from '../lib/fd';
import type { FieldChange } from './diff';
import type { EventKind } from './types';
import type { TenantContract } from '../contract/types';

export interface AuditRecord {
  /** When the apply happened (UTC, ISO 8601). */
  readonly at: string;
  readonly outcome: 'applied' | 'duplicate' | 'refused';
  readonly eventId?: string;
  readonly tenant?: string;
  readonly kind?: EventKind | string;
  readonly version?: number;
  readonly occurredAt?: string;
  /** Version the contract had before (absent for a new tenant). */
  readonly previousVersion?: number;
  /** Field-level differences the event made to the contract file. */
  readonly changes?: readonly FieldChange[];
  /** What the fleet allocated for a new tenant. */
  readonly allocated?: Readonly<Record<string, string | number>>;
  /** A purge keeps the whole last contract here: the file itself is gone. */
  readonly contract?: TenantContract;
  readonly error?: { readonly code: string; readonly message: string };
  /** How the event arrived. */
  readonly via: 'cli' | 'http';
  /** Set when the record was completed by crash recovery (the apply that wrote the file died). */
  readonly recovered?: boolean;
}

export function appendAudit(file: string, record: AuditRecord): void {
  const fd = openSync(file, 'a+', 0o640);
  try {
    // A power loss can leave a partial last line; start on a fresh line so this record stays whole.
    const lead = endsMidLine(fd) ? '\n' : '';
    writeAll(fd, Buffer.from(`${lead}${JSON.stringify(record)}\n`, 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/** Every record in the log; a torn last line (a writer died mid-write) is skipped. */
export function readAudit(file: string): AuditRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const records: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as AuditRecord);
    } catch {
      // A partial line left by a power loss; appendAudit started the next record on a new line.
    }
  }
  return records;
}
