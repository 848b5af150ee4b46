/**
 * Our own classification of what Terraform would do to one tenant's stack, from the two
 * configurations alone: resource by address, attribute by attribute. Terraform's plan, when
 * given, overrides it (plan-docs.ts).
 */
import { controlsFor, REGION_CONTROLS, sortControls } from './controls';
import { differences, same } from './flatten';
import { forcesReplacement } from './force-new';
import {
  awsProvider,
  defaultTags,
  META_ARGUMENTS,
  referencesIn,
  renameReferences,
  resourcesOf,
  TAGGABLE,
  withoutReferenceNames,
  type StackResource,
} from './resources';
import type { Action, AttributeChange, ResourceChange, StackConfig } from './types';

interface Draft {
  address: string;
  type: string;
  baseAddress?: string;
  action?: Action;
  attributes: AttributeChange[];
  reason?: string;
  movedWithoutBlock?: boolean;
  /** A destroy whose resource head re-creates under this address (renamed without a `moved` block). */
  movedTo?: string;
  /** Base has `lifecycle.prevent_destroy`: Terraform refuses to plan its destruction. */
  protectedInBase?: boolean;
}

export function diffStacks(base: StackConfig | undefined, head: StackConfig | undefined): ResourceChange[] {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const moves = findMoves(before, after, head);
  // Head names of moved resources → base names, so references to them compare equal.
  const renames = moves;
  const regionBefore = awsProvider(base).region;
  const regionAfter = awsProvider(head).region;
  const regionChanged = base !== undefined && head !== undefined && !same(regionBefore, regionAfter);
  const tagChanges = base !== undefined && head !== undefined ? differences(defaultTags(base), defaultTags(head)) : [];

  const drafts: Draft[] = [];
  for (const [address, res] of after) {
    const from = moves.get(address) ?? (before.has(address) ? address : undefined);
    if (from === undefined) {
      // What a new resource will hold, as Terraform's plan lists it: every configured attribute.
      drafts.push({ address, type: res.type, action: 'add', attributes: attributeChanges(res.type, {}, res.body).map((a) => ({ ...a, forcesReplacement: false })) });
      continue;
    }
    const old = before.get(from) as StackResource;
    if (from !== address && !(head?.moved ?? []).some((m) => m.from === from && m.to === address)) {
      drafts.push(...renamedWithoutBlock(from, address, res, old));
      continue;
    }
    const attributes = attributeChanges(res.type, old.body, renameReferences(res.body, renames) as Record<string, unknown>);
    if (TAGGABLE.has(res.type)) {
      for (const t of tagChanges) attributes.push({ path: `tags_all.${t.path}`, before: t.before, after: t.after, forcesReplacement: false });
    }
    const draft: Draft = { address, type: res.type, baseAddress: from, attributes, protectedInBase: preventsDestroy(old) };
    if (regionChanged) {
      draft.attributes.push({ path: '(provider).region', before: regionBefore, after: regionAfter, forcesReplacement: true });
      draft.reason = `provider region ${String(regionBefore)} → ${String(regionAfter)}: ${regionMove(regionBefore, regionAfter)}`;
    }
    drafts.push(draft);
  }
  const kept = new Set([...after.keys()].map((a) => moves.get(a) ?? a));
  for (const [address, res] of before) {
    if (!kept.has(address)) drafts.push({ address, type: res.type, action: 'destroy', attributes: [], protectedInBase: preventsDestroy(res) });
  }
  propagateReplacements(drafts, after, renames);
  return drafts.flatMap((d) => finish(d));
}

/**
 * A renamed address without a `moved` block is what Terraform plans it as: the old address
 * destroyed, the new one created. The created one keeps `baseAddress` so that whatever references
 * it gets the knock-on changes of a re-creation (propagateReplacements), and both name each other
 * so the reviewer sees that a `moved` block would keep the resource.
 */
function renamedWithoutBlock(from: string, to: string, res: StackResource, old: StackResource): Draft[] {
  const fix = 'add a `moved` block to keep it';
  return [
    {
      address: from,
      type: old.type,
      action: 'destroy',
      attributes: [],
      movedTo: to,
      movedWithoutBlock: true,
      reason: `renamed to ${to} without a moved block: Terraform destroys it and creates it anew (${fix})`,
      protectedInBase: preventsDestroy(old),
    },
    {
      address: to,
      type: res.type,
      baseAddress: from,
      action: 'add',
      attributes: attributeChanges(res.type, {}, res.body).map((a) => ({ ...a, forcesReplacement: false })),
      movedWithoutBlock: true,
      reason: `renamed from ${from} without a moved block: Terraform creates it anew (${fix})`,
    },
  ];
}

/**
 * What a region change does, in the one wording the comment, the risk line and each resource's
 * reason share: the provider's region is every resource's force-new `region`, so Terraform
 * destroys each in the old region and creates it in the new one; nothing is left behind.
 */
export function regionMove(before: unknown, after: unknown): string {
  return `every resource is replaced: destroyed in ${String(before)}, then created anew in ${String(after)}`;
}

/** Attribute changes, meta-arguments aside (a `lifecycle` change alone changes nothing in AWS). */
function attributeChanges(type: string, before: Record<string, unknown>, after: Record<string, unknown>): AttributeChange[] {
  const strip = (b: Record<string, unknown>) => Object.fromEntries(Object.entries(b).filter(([k]) => !META_ARGUMENTS.has(k)).map(([k, v]) => [k, policyDocument(k, v)]));
  return differences(strip(before), strip(after)).map((d) => ({ ...d, forcesReplacement: forcesReplacement(type, d.path) }));
}

/**
 * A logical id change (a construct renamed or re-parented) shows as one address gone and one new
 * with the same configuration. An explicit `moved` block in head says so; otherwise a unique match
 * of type and configuration (references compared without names) does.
 */
function findMoves(before: Map<string, StackResource>, after: Map<string, StackResource>, head: StackConfig | undefined): Map<string, string> {
  const moves = new Map<string, string>();
  for (const m of head?.moved ?? []) if (before.has(m.from) && after.has(m.to) && !after.has(m.from)) moves.set(m.to, m.from);
  const gone = [...before.values()].filter((r) => !after.has(r.address) && ![...moves.values()].includes(r.address));
  const fresh = [...after.values()].filter((r) => !before.has(r.address) && !moves.has(r.address));
  const key = (r: StackResource) => `${r.type} ${JSON.stringify(withoutReferenceNames(r.body))}`;
  for (const r of fresh) {
    const candidates = gone.filter((g) => key(g) === key(r));
    const rivals = fresh.filter((f) => key(f) === key(r));
    if (candidates.length === 1 && rivals.length === 1) moves.set(r.address, candidates[0].address);
  }
  return moves;
}

/**
 * A replaced resource gets new computed values (id, arn): whatever references them changes too,
 * and is itself replaced when the reference sits in a force-new attribute (a new VPC re-creates
 * its subnets). Repeats until nothing more changes.
 */
function propagateReplacements(drafts: Draft[], after: Map<string, StackResource>, renames: ReadonlyMap<string, string>): void {
  const byBase = new Map(drafts.filter((d) => d.baseAddress !== undefined).map((d) => [d.baseAddress as string, d]));
  // Re-created under a new name is replaced as far as its dependents can tell: new id, new ARN.
  const replaced = (d: Draft) => d.movedWithoutBlock === true || d.attributes.some((a) => a.forcesReplacement);
  let grew = true;
  while (grew) {
    grew = false;
    const gone = new Set(drafts.filter((d) => d.baseAddress !== undefined && replaced(d)).map((d) => d.baseAddress as string));
    for (const d of drafts) {
      if (d.baseAddress === undefined || d.action !== undefined) continue;
      const body = renameReferences((after.get(d.address) as StackResource).body, renames);
      for (const [path, value] of flattenStrings(body)) {
        if (path.split(/[.[]/)[0] === 'depends_on' || path.startsWith('lifecycle')) continue;
        for (const ref of referencesIn(value)) {
          if (!gone.has(ref.address) || !computedOnReplace(byBase.get(ref.address), after, ref.attribute)) continue;
          const already = d.attributes.find((a) => a.path === path);
          const forces = forcesReplacement(d.type, path);
          if (already !== undefined && (already.forcesReplacement || !forces)) continue;
          d.attributes = d.attributes.filter((a) => a.path !== path);
          const target = byBase.get(ref.address) as Draft;
          const how = target.movedWithoutBlock === true ? `is created anew as ${target.address}` : 'is replaced';
          d.attributes.push({ path, before: value, after: `(known after apply: ${ref.address} ${how})`, forcesReplacement: forces });
          grew = true;
        }
      }
    }
  }
}

/** Attributes that a replacement makes unknown: anything not written literally in the referenced resource's configuration. */
function computedOnReplace(target: Draft | undefined, after: Map<string, StackResource>, attribute: string): boolean {
  if (target === undefined) return false;
  const value = after.get(target.address)?.body[attribute];
  return value === undefined || (typeof value === 'string' && value.includes('${'));
}

function flattenStrings(value: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([prefix, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => flattenStrings(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flattenStrings(v, prefix === '' ? k : `${prefix}.${k}`, out);
  }
  return out;
}

function finish(d: Draft): ResourceChange[] {
  const moved = d.baseAddress !== undefined && d.baseAddress !== d.address;
  let action = d.action;
  if (action === undefined) {
    if (d.attributes.some((a) => a.forcesReplacement)) action = 'replace';
    else if (d.attributes.length > 0) action = 'update';
    else if (moved) action = 'moved';
    else return [];
  }
  const because =
    d.reason ?? (action === 'replace' && !d.attributes.some((a) => a.forcesReplacement && !String(a.after).startsWith('(known after apply')) ? 'a resource it depends on is replaced' : undefined);
  const refused = (action === 'replace' || action === 'destroy') && d.protectedInBase ? 'lifecycle.prevent_destroy is set: terraform plan refuses until the protection is lifted' : undefined;
  const reason = [because, refused].filter((r) => r !== undefined).join('; ') || undefined;
  const controls = d.attributes.some((a) => a.path === '(provider).region')
    ? sortControls([...controlsFor(d.type, d.attributes.map((a) => a.path)), ...REGION_CONTROLS])
    : controlsFor(d.type, d.attributes.map((a) => a.path));
  return [
    {
      address: d.address,
      type: d.type,
      action,
      ...(moved ? { movedFrom: d.baseAddress, movedWithoutBlock: d.movedWithoutBlock === true } : {}),
      ...(d.movedTo !== undefined ? { movedTo: d.movedTo, movedWithoutBlock: true } : {}),
      attributes: d.attributes,
      ...(reason !== undefined ? { reason } : {}),
      source: 'config',
      controls,
    },
  ];
}

/** IAM/S3 policies are JSON text; compared as documents, a change names the statement it touches. */
function policyDocument(key: string, value: unknown): unknown {
  if (!/policy$/.test(key) || typeof value !== 'string' || !value.trimStart().startsWith('{')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function preventsDestroy(r: StackResource): boolean {
  return (r.body.lifecycle as { prevent_destroy?: unknown } | undefined)?.prevent_destroy === true;
}
