/**
 * Splits a tenant's client pool between its user groups. Each group gets an equal, aligned
 * block; the lower half is an IKEv2 lease pool (a certificate user leases from its own
 * group's pool; EAP users share one connection and lease from any group's pool), the upper
 * half holds fixed per-identity addresses for PPP (L2TP, PPTP; pppd takes one address per user from
 * chap-secrets). The firewall therefore never trusts an address block: it matches per-group
 * address sets that the gateway fills with each authenticated identity's address when its
 * tunnel comes up.
 */
import { formatAddress, isCidr, parseCidr, type Cidr } from '../lib/cidr';

export interface GroupAddresses {
  readonly group: string;
  /** The whole block: the firewall's source match for this group. */
  readonly block: string;
  /** Lease pool for IKEv2 virtual IPs (lower half of the block). */
  readonly ikev2Pool: string;
  /** One fixed PPP (L2TP/PPTP) address per member, in member order. */
  readonly pppAddresses: ReadonlyMap<string, string>;
}

export interface AddressPlan {
  readonly groups: readonly GroupAddresses[];
  /** The gateway's own PPP address: the last usable address of the client pool. */
  readonly pppLocalAddress: string;
}

/** Groups are keyed by name in sorted order, so reordering the contract moves no address. */
export function planAddresses(clientPool: string, groups: readonly { name: string; members: readonly string[] }[]): AddressPlan {
  const pool = parseCidr(clientPool);
  if (!isCidr(pool)) throw new Error(`client pool ${clientPool}: ${pool.error}`);
  const sorted = [...groups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bits = Math.ceil(Math.log2(Math.max(sorted.length, 1)));
  const blockPrefix = pool.prefix + bits;
  // A block needs two halves of at least 4 addresses (network, broadcast, two hosts).
  if (blockPrefix > 29) throw new Error(`client pool ${clientPool} is too small for ${sorted.length} user groups`);
  const blockSize = 2 ** (32 - blockPrefix);
  const planned = sorted.map((g, i) => {
    const base = pool.base + i * blockSize;
    const half = blockSize / 2;
    const upper: Cidr = { base: base + half, prefix: blockPrefix + 1, size: half, text: '' };
    // One address of the last block is the gateway's own PPP address; keep every block alike.
    if (g.members.length > half - 3) {
      throw new Error(`user group ${g.name}: ${g.members.length} members do not fit the ${half - 3} PPP addresses of its block`);
    }
    const ppp = new Map(g.members.map((m, j) => [m, formatAddress(upper.base + 1 + j)] as const));
    return {
      group: g.name,
      block: `${formatAddress(base)}/${blockPrefix}`,
      ikev2Pool: `${formatAddress(base)}/${blockPrefix + 1}`,
      pppAddresses: ppp,
    };
  });
  return { groups: planned, pppLocalAddress: formatAddress(pool.base + pool.size - 2) };
}
