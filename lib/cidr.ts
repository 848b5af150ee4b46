/** IPv4 CIDR arithmetic on plain numbers (32-bit values fit exactly in a double). */

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
  /** Number of addresses in the block. */
  readonly size: number;
  readonly text: string;
}

const CIDR_SYNTAX = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a reason when the text is not a network in canonical form. */
export function parseCidr(text: string): Cidr | { error: string } {
  const m = CIDR_SYNTAX.exec(text);
  if (m === null) return { error: `${JSON.stringify(text)} is not a CIDR (expected a.b.c.d/0-32)` };
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) {
    return { error: `${text} is not a CIDR (each octet must be 0-255, without leading zeros)` };
  }
  if (prefix > 32) return { error: `${text} is not a CIDR (prefix length must be 0-32)` };
  const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    return { error: `${text} has host bits set (the network is ${formatAddress(base - (base % size))}/${prefix})` };
  }
  return { base, prefix, size, text };
}

export function isCidr(value: Cidr | { error: string }): value is Cidr {
  return !('error' in value);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

/** Addresses a VPN pool can lease: the network and broadcast addresses are never handed out. */
export function usableAddresses(c: Cidr): number {
  return c.prefix >= 31 ? c.size : c.size - 2;
}

export function formatAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The `index`-th address inside `parent` (0 is the network address). */
export function hostAddress(parent: Cidr, index: number): string {
  return formatAddress(parent.base + index);
}

/** The `index`-th sub-network of length `prefix` inside `parent`. */
export function subnet(parent: Cidr, prefix: number, index: number): string {
  const size = 2 ** (32 - prefix);
  return `${formatAddress(parent.base + index * size)}/${prefix}`;
}
