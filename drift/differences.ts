/**
 * What differs between the synthesized intent and the deployed state of one tenant: resources
 * missing on either side, every attribute the intent writes as a literal that holds another value,
 * and security group rules present on a group that no declared rule resource accounts for (a port
 * opened behind Terraform's back shows only there).
 */
import { createHash } from 'node:crypto';
import { resourcesIn, type TfJson } from '../output/terraform';

export interface Difference {
  readonly address: string;
  /** Attribute path, or '' for the resource as a whole. */
  readonly attribute: string;
  readonly intended: unknown;
  readonly deployed: unknown;
}

/** Meta-arguments and cdktf metadata: not attributes AWS holds. */
const NOT_ATTRIBUTES = new Set(['//', 'lifecycle', 'provisioner', 'depends_on', 'count', 'for_each', 'provider', 'connection', 'triggers_replace', 'input']);

export function differences(intent: TfJson, deployed: TfJson): Difference[] {
  const out: Difference[] = [];
  const mine = new Map(resourcesIn(intent).map((r) => [r.address, r.config]));
  const theirs = new Map(resourcesIn(deployed).map((r) => [r.address, r.config]));
  for (const [address, config] of mine) {
    const state = theirs.get(address);
    if (state === undefined) {
      out.push({ address, attribute: '', intended: 'present', deployed: 'absent' });
      continue;
    }
    for (const [key, value] of Object.entries(config)) {
      if (!NOT_ATTRIBUTES.has(key)) compare(address, key, value, state[key], out);
    }
  }
  for (const address of theirs.keys()) if (!mine.has(address)) out.push({ address, attribute: '', intended: 'absent', deployed: 'present' });
  out.push(...undeclaredGroupRules(deployed));
  return out;
}

function compare(address: string, path: string, intended: unknown, deployed: unknown, out: Difference[]): void {
  if (typeof intended === 'string' && intended.includes('${')) return; // a reference: known only to Terraform
  if (isMap(intended) && isMap(deployed)) {
    // A map attribute (tags): every key the intent writes.
    for (const [k, v] of Object.entries(intended)) compare(address, `${path}["${k}"]`, v, deployed[k], out);
    return;
  }
  if (Array.isArray(intended) || (intended !== null && typeof intended === 'object')) {
    // A block written as an object is a list of one in state.
    const list = Array.isArray(intended) ? intended : [intended];
    const got = Array.isArray(deployed) ? deployed : deployed === null || deployed === undefined ? [] : [deployed];
    if (list.every((x) => x === null || typeof x !== 'object')) {
      const literal = list.filter((x) => !(typeof x === 'string' && x.includes('${')));
      if (literal.length === list.length && JSON.stringify([...literal].sort()) !== JSON.stringify([...got].sort())) out.push({ address, attribute: path, intended, deployed });
      return;
    }
    if (got.length !== list.length) {
      out.push({ address, attribute: path, intended: `${list.length} block(s)`, deployed: `${got.length} block(s)` });
      return;
    }
    list.forEach((item, i) => {
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) compare(address, `${path}[${i}].${k}`, v, (got[i] as Record<string, unknown> | undefined)?.[k], out);
    });
    return;
  }
  if (!same(intended, deployed)) out.push({ address, attribute: path, intended, deployed });
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    // The provider keeps user_data as its SHA-1; policy documents come back with keys reordered.
    if (/^[0-9a-f]{40}$/.test(b) && createHash('sha1').update(a).digest('hex') === b) return true;
    const [x, y] = [jsonOf(a), jsonOf(b)];
    if (x !== undefined && y !== undefined) return canonical(x) === canonical(y);
  }
  // State may hold numbers where JSON configuration wrote strings, and the reverse.
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) return String(a) === String(b);
  // An attribute left at its default: unset in state.
  return (a === false || a === '' || a === 0) && (b === null || b === undefined);
}

function jsonOf(s: string): unknown {
  if (!s.startsWith('{')) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isMap(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function undeclaredGroupRules(deployed: TfJson): Difference[] {
  const out: Difference[] = [];
  const resources = resourcesIn(deployed);
  for (const group of resources.filter((r) => r.type === 'aws_security_group')) {
    const declared = resources
      .filter((r) => r.type === 'aws_vpc_security_group_ingress_rule' && [group.config.id, `\${${group.address}.id}`].includes(r.config.security_group_id))
      .map((r) => key(r.config.ip_protocol, r.config.from_port, r.config.to_port, r.config.cidr_ipv4));
    const ingress = Array.isArray(group.config.ingress) ? (group.config.ingress as Record<string, unknown>[]) : [];
    ingress.forEach((rule, i) => {
      for (const cidr of Array.isArray(rule.cidr_blocks) ? rule.cidr_blocks : []) {
        if (!declared.includes(key(rule.protocol, rule.from_port, rule.to_port, cidr))) {
          out.push({ address: group.address, attribute: `ingress[${i}]`, intended: 'no such rule', deployed: `${String(rule.protocol)} ${String(rule.from_port)}-${String(rule.to_port)} from ${String(cidr)}` });
        }
      }
    });
  }
  return out;
}

function key(protocol: unknown, from: unknown, to: unknown, cidr: unknown): string {
  const p = String(protocol) === '-1' ? '-1' : String(protocol);
  return p === '-1' ? `-1 ${String(cidr)}` : `${p} ${String(from)} ${String(to)} ${String(cidr)}`;
}
