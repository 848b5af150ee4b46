/**
 * Field-level difference between two versions of a contract, for the audit log and the
 * comment-preserving YAML writer. Objects are compared key by key; a list is one value (an
 * event replaces lists whole, so the audit shows the whole old and new list).
 */
import { canonicalJson } from '../lib/canonical-json';

export interface FieldChange {
  /** Path of the field, e.g. ['gateway', 'sizing', 'terminals']. */
  readonly path: readonly string[];
  /** Absent when the field was added. */
  readonly from?: unknown;
  /** Absent when the field was removed. */
  readonly to?: unknown;
}

export function diffContracts(before: unknown, after: unknown, path: readonly string[] = []): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const b = before[k];
      const a = after[k];
      if (b === undefined && a === undefined) return [];
      if (b === undefined) return [{ path: [...path, k], to: a }];
      if (a === undefined) return [{ path: [...path, k], from: b }];
      return diffContracts(b, a, [...path, k]);
    });
  }
  return canonicalJson(before) === canonicalJson(after) ? [] : [{ path, from: before, to: after }];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
