/**
 * Writes a contract as YAML. A new tenant gets a fresh file in the schema's field order; an
 * existing file is edited in place (only the changed fields), so the comments people wrote in
 * it survive. Either way the text is parsed back and compared with the intended contract before
 * anyone writes it.
 */
import { Document, isMap, isScalar, isSeq, parse, parseDocument, visit, type Node } from 'yaml';
import tenantSchema from '../contract/schema/tenant.schema.json';
import type { TenantContract } from '../contract/types';
import type { FieldChange } from './diff';
import { canonicalJson } from '../lib/canonical-json';

/** No folding of long values, so a line never depends on the writer's width setting. */
const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false } as const;

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

export function renderNewContract(contract: TenantContract, eventId: string): string {
  const header = [
    '# yaml-language-server: $schema=../contract/schema/tenant.schema.json',
    `# Written by the contract system (event ${eventId}). Change it with contract events (ras contract apply);`,
    '# a hand edit is overwritten field by field by the next event.',
  ].join('\n');
  const doc = new Document(orderLike(contract, tenantSchema as SchemaNode));
  quoteDates(doc);
  return checked(`${header}\n${doc.toString(YAML_OPTIONS)}`, contract);
}

export function renderChangedContract(existingText: string, changes: readonly FieldChange[], after: TenantContract): string {
  const doc = parseDocument(existingText, { schema: 'core' });
  for (const change of changes) {
    if (change.to === undefined) doc.deleteIn(change.path);
    else {
      const node = doc.createNode(change.to);
      quoteDates(node);
      doc.setIn(change.path, node);
    }
  }
  sortMaps(doc.contents, tenantSchema as SchemaNode);
  return checked(doc.toString(YAML_OPTIONS), after);
}

/**
 * Dates are strings in the contract schema, but a YAML 1.1 reader (and many people) would read a
 * bare 2026-11-20 as a date: quote them, as the hand-written examples do.
 */
function quoteDates(node: Node | Document): void {
  visit(node, {
    Scalar(_key, scalar) {
      if (isScalar(scalar) && typeof scalar.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(scalar.value)) scalar.type = 'QUOTE_DOUBLE';
    },
  });
}

function checked(text: string, intended: TenantContract): string {
  const back: unknown = parse(text, { schema: 'core' });
  if (canonicalJson(back) !== canonicalJson(intended)) throw new Error('internal: the rendered YAML does not read back as the intended contract');
  return text;
}

/** A copy of `value` with object keys in the schema's order (unknown keys last, as found). */
function orderLike(value: unknown, schema: SchemaNode | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => orderLike(v, schema?.items));
  if (value === null || typeof value !== 'object') return value;
  const rank = ranking(schema);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, orderLike((value as Record<string, unknown>)[k], schema?.properties?.[k])]));
}

/** Same ordering on a parsed document, moving each key with its comments. */
function sortMaps(node: Node | null | undefined, schema: SchemaNode | undefined): void {
  if (isSeq(node)) for (const item of node.items) sortMaps(item as Node, schema?.items);
  if (!isMap(node)) return;
  const rank = ranking(schema);
  const keyOf = (p: (typeof node.items)[number]): string => String((p.key as { value?: unknown } | null)?.value ?? p.key);
  node.items.sort((a, b) => rank(keyOf(a)) - rank(keyOf(b)));
  for (const pair of node.items) sortMaps(pair.value as Node, schema?.properties?.[keyOf(pair)]);
}

function ranking(schema: SchemaNode | undefined): (key: string) => number {
  const order = Object.keys(schema?.properties ?? {});
  return (key) => {
    const i = order.indexOf(key);
    return i === -1 ? order.length : i;
  };
}
