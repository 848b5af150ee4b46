/**
 * Reads a variables file the way Ansible does: PyYAML's YAML 1.1 reader with Ansible's `!unsafe`
 * tag. Whatever the rules, plan review or drift judge must be what the gateway will run, so where
 * YAML 1.1 and YAML 1.2 could read a file differently this reader does not guess: it refuses the
 * file (a finding for whoever reads it), and `test/lib/ansible-yaml.test.ts` holds it equal to
 * Ansible's own loader over a corpus of hostile files.
 *
 * Refused: characters PyYAML cannot load; U+0085, U+2028 and U+2029 outside escapes (line breaks
 * for YAML 1.1, content for YAML 1.2); a lone carriage return; several documents; duplicate keys
 * (Ansible keeps the last one silently); keys that YAML 1.1 reads as something other than a
 * string; merge keys, value keys, timestamps with a time, and tags other than `!unsafe` and `!!str`.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

export type AnsibleYamlResult =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

class Refusal extends Error {}

/** The top-level map of a variables file as Ansible reads it, or why it cannot be judged. */
export function readAnsibleYaml(text: string): AnsibleYamlResult {
  const lines = new LineCounter();
  try {
    checkCharacters(text);
    const docs = parseAllDocuments(text, { version: '1.1', schema: 'failsafe', lineCounter: lines, uniqueKeys: false, prettyErrors: false });
    if (!Array.isArray(docs)) return { ok: true, value: {} };
    if (docs.length > 1) throw new Refusal('holds several YAML documents');
    if (docs.length === 0) return { ok: true, value: {} };
    const doc = docs[0];
    const problem = doc.errors[0];
    if (problem !== undefined) throw new Refusal(`is not valid YAML: ${problem.message.split('\n')[0]}`);
    const value = construct(doc.contents, doc, lines, 0);
    if (value === null) return { ok: true, value: {} };
    if (typeof value !== 'object' || Array.isArray(value)) throw new Refusal('does not hold a map of variables');
    return { ok: true, value: value as Record<string, unknown> };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.message };
    throw e;
  }
}

// PyYAML's Reader accepts only these; anything else stops Ansible from loading the file.
function pyyamlPrintable(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
const YAML11_ONLY_BREAKS = new Set([0x85, 0x2028, 0x2029]);

function checkCharacters(text: string): void {
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    const cp = ch.codePointAt(0) as number;
    if (ch.length === 2) i++;
    if (cp === 0x0a) line++;
    if (cp === 0xfeff && i === 0) continue;
    if (!pyyamlPrintable(cp)) throw new Refusal(`line ${line}: U+${hex(cp)} is a character Ansible's YAML reader refuses`);
    if (YAML11_ONLY_BREAKS.has(cp)) throw new Refusal(`line ${line}: U+${hex(cp)} is a line break for Ansible (YAML 1.1) but not for YAML 1.2 readers, so the file means two different things`);
    if (cp === 0x0d && text[i + 1] !== '\n') throw new Refusal(`line ${line}: a carriage return without a line feed`);
  }
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

const MAX_DEPTH = 64;

function construct(node: Node | null, doc: Document, lines: LineCounter, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new Refusal('nests deeper than 64 levels');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (target === undefined) throw new Refusal(`${at(node, lines)}unknown alias *${node.source}`);
    return construct(target as Node, doc, lines, depth + 1);
  }
  if (isScalar(node)) return scalar(node, lines);
  if (isSeq(node)) {
    if (node.tag !== undefined) throw new Refusal(`${at(node, lines)}tag ${node.tag} on a sequence is not read here`);
    return node.items.map((item) => construct(item as Node, doc, lines, depth + 1));
  }
  if (isMap(node)) {
    if (node.tag !== undefined) throw new Refusal(`${at(node, lines)}tag ${node.tag} on a map is not read here`);
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.tag === undefined && keyNode.value === '<<') {
        throw new Refusal(`${at(keyNode, lines)}merge keys (<<) are not read here`);
      }
      const k = construct(keyNode, doc, lines, depth + 1);
      if (typeof k !== 'string') throw new Refusal(`${at(keyNode, lines)}key ${JSON.stringify(k)} is read by Ansible as a ${k === null ? 'null' : typeof k}, not a name`);
      if (Object.prototype.hasOwnProperty.call(out, k)) throw new Refusal(`${at(keyNode, lines)}key ${JSON.stringify(k)} appears twice (Ansible silently keeps the last)`);
      Object.defineProperty(out, k, { value: construct(pair.value as Node | null, doc, lines, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new Refusal('holds a YAML node this reader does not know');
}

function at(node: Node | null, lines: LineCounter): string {
  const offset = node?.range?.[0];
  return offset === undefined ? '' : `line ${lines.linePos(offset).line}: `;
}

const STRING_TAGS = new Set(['!unsafe', 'tag:yaml.org,2002:str']);

function scalar(node: Node & { type?: string; value: unknown; tag?: string }, lines: LineCounter): unknown {
  const text = String(node.value ?? '');
  if (node.tag !== undefined) {
    if (!STRING_TAGS.has(node.tag)) throw new Refusal(`${at(node, lines)}tag ${node.tag} is not read here`);
    return text;
  }
  if (node.type !== 'PLAIN') return text;
  return resolvePlain(text, `${at(node, lines)}`);
}

// PyYAML's implicit resolvers (yaml/resolver.py), which Ansible's loader uses unchanged.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const DATE = /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/;
const TIMESTAMP = /^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?$/;

function resolvePlain(text: string, where: string): unknown {
  if (BOOL.test(text)) return /^(?:yes|true|on)$/i.test(text);
  if (NULL.test(text)) return null;
  if (INT.test(text)) return yamlInt(text, where);
  if (FLOAT.test(text)) return yamlFloat(text);
  // A date becomes a Python date for Ansible; its ISO text is what templates print.
  if (DATE.test(text)) return text;
  if (TIMESTAMP.test(text)) throw new Refusal(`${where}${text} is read by Ansible as a timestamp`);
  if (text === '=' || text === '<<') throw new Refusal(`${where}${text} has a special meaning in YAML 1.1`);
  return text;
}

function signed(text: string): { sign: number; digits: string } {
  const v = text.replace(/_/g, '');
  if (v.startsWith('-')) return { sign: -1, digits: v.slice(1) };
  return { sign: 1, digits: v.startsWith('+') ? v.slice(1) : v };
}

function yamlInt(text: string, where: string): number {
  const { sign, digits } = signed(text);
  let n: number;
  if (digits === '0') n = 0;
  else if (digits.startsWith('0b')) n = parseInt(digits.slice(2), 2);
  else if (digits.startsWith('0x')) n = parseInt(digits.slice(2), 16);
  else if (digits.startsWith('0')) n = parseInt(digits, 8);
  else if (digits.includes(':')) n = sexagesimal(digits);
  else n = parseInt(digits, 10);
  if (!Number.isSafeInteger(n)) throw new Refusal(`${where}${text} is an integer beyond what this reader represents exactly`);
  return sign * n;
}

function yamlFloat(text: string): number {
  const { sign, digits } = signed(text);
  const lower = digits.toLowerCase();
  if (lower === '.inf') return sign * Infinity;
  if (lower === '.nan') return NaN;
  if (lower.includes(':')) return sign * sexagesimal(lower);
  return sign * parseFloat(lower);
}

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + parseFloat(part), 0);
}
