/**
 * Writes data as YAML that Ansible (PyYAML, YAML 1.1) and YAML 1.2 readers read as the same
 * structure. A general YAML 1.2 writer emits characters raw that YAML 1.1 treats as line breaks
 * (U+0085, U+2028, U+2029): inside a plain or quoted scalar they end the line for PyYAML, and the
 * rest of the value becomes new keys. So this writer emits every string double-quoted, escapes
 * everything that is not a printable letter, mark, number, punctuation or symbol, and never
 * relies on implicit typing (`yes`, `0777` and `1:30` mean other things in YAML 1.1).
 */

export interface AnsibleYamlOptions {
  /**
   * Tag every string `!unsafe`, so Ansible never evaluates it as a Jinja template.
   * @default true
   */
  readonly unsafeStrings?: boolean;
}

/** YAML text for `value` (a map at the top), ending with a newline. */
export function toAnsibleYaml(value: Readonly<Record<string, unknown>>, options: AnsibleYamlOptions = {}): string {
  const unsafe = options.unsafeStrings ?? true;
  const lines: string[] = [];
  emitMap(value, '', lines, unsafe, []);
  return lines.length === 0 ? '{}\n' : `${lines.join('\n')}\n`;
}

/** Keys written plain: identifiers that no YAML 1.1 or 1.2 resolver turns into anything but a string. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED_KEY = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function key(k: string): string {
  return PLAIN_KEY.test(k) && !RESERVED_KEY.test(k) ? k : quote(k);
}

function emitMap(map: Readonly<Record<string, unknown>>, indent: string, lines: string[], unsafe: boolean, path: readonly string[]): void {
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined) continue;
    const head = `${indent}${key(k)}:`;
    emitValue(v, head, indent, lines, unsafe, [...path, k]);
  }
}

function emitValue(v: unknown, head: string, indent: string, lines: string[], unsafe: boolean, path: readonly string[]): void {
  const scalar = scalarText(v, unsafe, path);
  if (scalar !== undefined) {
    lines.push(`${head} ${scalar}`);
  } else if (Array.isArray(v)) {
    if (v.length === 0) {
      lines.push(`${head} []`);
      return;
    }
    lines.push(head);
    v.forEach((item, i) => emitItem(item, `${indent}  `, lines, unsafe, [...path, String(i)]));
  } else {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) {
      lines.push(`${head} {}`);
      return;
    }
    lines.push(head);
    emitMap(v as Record<string, unknown>, `${indent}  `, lines, unsafe, path);
  }
}

function emitItem(item: unknown, indent: string, lines: string[], unsafe: boolean, path: readonly string[]): void {
  const scalar = scalarText(item, unsafe, path);
  if (scalar !== undefined) {
    lines.push(`${indent}- ${scalar}`);
    return;
  }
  if (Array.isArray(item)) {
    if (item.length === 0) {
      lines.push(`${indent}- []`);
      return;
    }
    lines.push(`${indent}-`);
    item.forEach((x, i) => emitItem(x, `${indent}  `, lines, unsafe, [...path, String(i)]));
    return;
  }
  const map = item as Record<string, unknown>;
  if (Object.values(map).every((x) => x === undefined)) {
    lines.push(`${indent}- {}`);
    return;
  }
  // The map is written at indent + 2; its first line takes the dash in place of two spaces.
  const start = lines.length;
  emitMap(map, `${indent}  `, lines, unsafe, path);
  lines[start] = `${indent}- ${lines[start].slice(indent.length + 2)}`;
}

/** The text of a scalar, or undefined for a map or sequence. */
function scalarText(v: unknown, unsafe: boolean, path: readonly string[]): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return unsafe ? `!unsafe ${quote(v)}` : quote(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      // Integers only: YAML 1.1 and 1.2 disagree on float spellings such as 1e3.
      if (!Number.isSafeInteger(v)) throw new Error(`${path.join('.')}: ${v} is not an integer; write it as a string`);
      return String(v);
    case 'object':
      return undefined;
    default:
      throw new Error(`${path.join('.')}: a ${typeof v} cannot be written as YAML`);
  }
}

// Printable letters, marks, numbers, punctuation, symbols and the ASCII space stay as they are;
// everything else (controls, format characters, line and paragraph separators, other spaces,
// private use, unassigned) is escaped, so the file holds no character any reader treats specially.
const SAFE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** A double-quoted scalar that YAML 1.1 and 1.2 both read back as exactly `s`. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Error(`a lone surrogate (U+${hex(cp, 4)}) cannot be written as YAML`);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (SAFE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}
