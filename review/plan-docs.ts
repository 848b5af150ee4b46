/**
 * Terraform plan documents (`terraform show -json PLAN`), one per tenant. When a tenant has one,
 * its `resource_changes[].change.actions` (with `previous_address` for moves and `replace_paths`
 * for the attributes that force a replacement) replace our own classification.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { controlsFor } from './controls';
import { ReviewInputError } from './errors';
import { differences, flatten } from './flatten';
import type { Action, AttributeChange, ResourceChange } from './types';

export interface PlanResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode?: string;
  readonly type: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

export interface PlanDocument {
  readonly format_version: string;
  readonly resource_changes?: readonly PlanResourceChange[];
}

/** `--plan tenant=file` (repeatable) and `--plans DIR` (`<tenant>.json`) → tenant → document. */
export function readPlanDocuments(pairs: readonly string[], dir?: string): Map<string, PlanDocument> {
  const files = new Map<string, string>();
  if (dir !== undefined) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReviewInputError(`--plans ${dir}: not a folder`);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) files.set(basename(f, '.json'), join(dir, f));
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new ReviewInputError(`--plan ${pair}: expected <tenant>=<file>`);
    files.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return new Map([...files].map(([tenant, file]) => [tenant, readPlan(file)]));
}

function readPlan(file: string): PlanDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReviewInputError(`${file}: not a readable JSON plan (${(e as Error).message})`);
  }
  const d = doc as Partial<PlanDocument> | null;
  if (d === null || typeof d !== 'object' || typeof d.format_version !== 'string' || (d.resource_changes !== undefined && !Array.isArray(d.resource_changes))) {
    throw new ReviewInputError(`${file}: not a Terraform plan document (expected the output of \`terraform show -json PLAN\`)`);
  }
  return d as PlanDocument;
}

/** Terraform's actions in our vocabulary; `undefined` for no change (no-op, read). */
export function actionOf(rc: PlanResourceChange): Action | undefined {
  const a = rc.change.actions.join(',');
  if (a === 'create') return 'add';
  if (a === 'update') return 'update';
  if (a === 'delete') return 'destroy';
  if (a === 'delete,create' || a === 'create,delete') return 'replace';
  if (a === 'no-op' && rc.previous_address !== undefined && rc.previous_address !== rc.address) return 'moved';
  return undefined;
}

/**
 * The tenant's changes as Terraform plans them. Attribute details come from our config diff for
 * the same address where it has them (they show what the configuration says), else from the
 * plan's before/after; `replace_paths` marks what forces a replacement.
 */
export function changesFromPlan(plan: PlanDocument, ours: readonly ResourceChange[]): ResourceChange[] {
  const mine = new Map(ours.map((c) => [c.address, c]));
  const out: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const action = actionOf(rc);
    if (action === undefined) continue;
    const forced = new Set((rc.change.replace_paths ?? []).map((p) => pathText(p)));
    const own = mine.get(rc.address);
    const attributes: AttributeChange[] =
      own !== undefined && own.attributes.length > 0
        ? own.attributes.map((a) => ({ ...a, forcesReplacement: action === 'replace' && (a.forcesReplacement || underAny(a.path, forced)) }))
        : action === 'update' || action === 'replace'
          ? planAttributes(rc, forced)
          : [];
    out.push({
      address: rc.address,
      type: rc.type,
      action,
      ...(rc.previous_address !== undefined && rc.previous_address !== rc.address ? { movedFrom: rc.previous_address } : {}),
      attributes,
      ...(rc.action_reason !== undefined ? { reason: rc.action_reason } : own?.reason !== undefined ? { reason: own.reason } : {}),
      // The plan cannot tell a rename without a `moved` block from an unrelated destroy and create
      // (its reason is "no resource config"); our diff can, and says how to keep the resource.
      ...(own?.movedWithoutBlock === true && own.action === action ? { movedFrom: own.movedFrom, movedTo: own.movedTo, movedWithoutBlock: true, reason: own.reason } : {}),
      source: 'terraform-plan',
      controls: controlsFor(rc.type, attributes.map((a) => a.path)),
    });
  }
  return out;
}

function planAttributes(rc: PlanResourceChange, forced: ReadonlySet<string>): AttributeChange[] {
  const unknown = pathsMarkedTrue(rc.change.after_unknown);
  const before = flatten(rc.change.before ?? {});
  const known = differences(rc.change.before ?? {}, rc.change.after ?? {}).filter((d) => !underAny(d.path, unknown));
  const computed = unknown.map((path) => ({ path, before: before.get(path), after: '(known after apply)' }));
  return [...known, ...computed]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((d) => ({ ...d, forcesReplacement: underAny(d.path, forced) }));
}

function pathsMarkedTrue(value: unknown, prefix = ''): string[] {
  if (value === true) return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsMarkedTrue(v, `${prefix}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => pathsMarkedTrue(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return [];
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Is `path` one of `prefixes` or inside one? List indices are ignored: cdktf writes a single
 * nested block as an object (`root_block_device.encrypted`), plans as a list (`root_block_device[0].encrypted`).
 */
function underAny(path: string, prefixes: Iterable<string>): boolean {
  const plain = path.replace(/\[\d+\]/g, '');
  for (const p of prefixes) {
    const q = p.replace(/\[\d+\]/g, '');
    if (plain === q || plain.startsWith(`${q}.`)) return true;
  }
  return false;
}
