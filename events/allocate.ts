/**
 * Allocation of what the contract system does not know: the tenant VPC block, the VPN client
 * pool and the backbone VLAN id, from the fleet pools. Always the lowest free block (or id), so
 * the result is predictable; a block is free when it overlaps nothing any tenant holds (VPCs,
 * client pools, reserved blocks of purged tenants) nor the operations network. Only new tenants
 * are allocated: an existing allocation never moves.
 */
import { formatAddress, isCidr, overlaps, parseCidr, usableAddresses, type Cidr } from '../lib/cidr';
import { sizeFor } from '../lib/sizing';
import { describeLink, regionLinks, type BackboneLink } from '../contract/backbone-links';
import type { FleetSettings } from '../contract/types';

/** What is already taken: address blocks across the fleet, VLAN ids per backbone link. */
export interface Claims {
  readonly cidrs: readonly string[];
  /** VLAN ids taken on every link (purged tenants' reserved ids: tombstones keep no link). */
  readonly vlans: readonly number[];
  /** VLAN ids taken on each backbone link, by link key (contract/backbone-links.ts). */
  readonly vlansOnLink?: ReadonlyMap<string, readonly number[]>;
}

export interface AllocationRequest {
  readonly vpcCidr?: string;
  readonly clientPool?: string;
  readonly vlanId?: number;
  /** The new contract's region and backbone link: a VLAN id is free or taken on one link. */
  readonly region?: string;
  readonly backboneLink?: string;
  readonly terminals: number;
  readonly requestsPerSecond: number;
  /** The new contract's own networks (host groups): a block must not overlap them either. */
  readonly ownCidrs: readonly string[];
}

export interface Allocation {
  readonly vpcCidr: string;
  readonly clientPool: string;
  readonly vlanId: number;
  /** The added backbone link the VLAN id is on (undefined: the region's first link). */
  readonly backboneLink?: string;
  /** The fields that were allocated here (given ones are kept as they are). */
  readonly allocated: readonly ('network.vpcCidr' | 'gateway.clientPool' | 'network.vlanId' | 'network.backboneLink')[];
}

export class AllocationError extends Error {
  constructor(public readonly field: string, message: string) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** Default VPC block length when the fleet file leaves it out (fleet.schema.json default). */
const DEFAULT_VPC_PREFIX = 24;

export function allocate(fleet: FleetSettings, claims: Claims, req: AllocationRequest): Allocation {
  const taken = [...claims.cidrs, fleet.operationsCidr, ...req.ownCidrs, req.vpcCidr, req.clientPool]
    .filter((c): c is string => c !== undefined)
    .map(parseCidr)
    .filter(isCidr);
  const allocated: Allocation['allocated'][number][] = [];

  let vpcCidr = req.vpcCidr;
  if (vpcCidr === undefined) {
    vpcCidr = lowestFreeBlock(fleet.pools.vpc, fleet.pools.vpcPrefixLength ?? DEFAULT_VPC_PREFIX, taken, 'network.vpcCidr');
    taken.push(parseCidr(vpcCidr) as Cidr);
    allocated.push('network.vpcCidr');
  }

  let clientPool = req.clientPool;
  if (clientPool === undefined) {
    clientPool = lowestFreeBlock(fleet.pools.clientPools, clientPoolPrefix(req.terminals, req.requestsPerSecond), taken, 'gateway.clientPool');
    allocated.push('gateway.clientPool');
  }

  let vlanId = req.vlanId;
  let backboneLink = req.backboneLink;
  if (vlanId === undefined) {
    const found = lowestFreeVlanOnLinks(fleet, claims, req);
    vlanId = found.vlanId;
    allocated.push('network.vlanId');
    if (backboneLink === undefined && found.link.name !== undefined) {
      backboneLink = found.link.name;
      allocated.push('network.backboneLink');
    }
  }
  return { vpcCidr, clientPool, vlanId, ...(backboneLink === undefined ? {} : { backboneLink }), allocated };
}

/**
 * The lowest VLAN id free on the named link, or else on the first of the region's links with
 * room (its first link, then backboneLinks in file order): a region fills its links one by one.
 */
function lowestFreeVlanOnLinks(fleet: FleetSettings, claims: Claims, req: AllocationRequest): { vlanId: number; link: BackboneLink } {
  const { min, max } = fleet.pools.vlan;
  const all = req.region === undefined ? [{ key: '' }] : regionLinks(req.region, fleet.regions[req.region]);
  const links = req.backboneLink === undefined ? all : all.filter((l) => l.name === req.backboneLink);
  for (const link of links) {
    const vlanId = lowestFreeVlan(min, max, new Set([...claims.vlans, ...(claims.vlansOnLink?.get(link.key) ?? [])]));
    if (vlanId !== undefined) return { vlanId, link };
  }
  if (req.region === undefined) throw new AllocationError('network.vlanId', `no free VLAN id is left on the region's backbone link (fleet range ${min}-${max})`);
  if (links.length === 1) throw new AllocationError('network.vlanId', `no free VLAN id is left on the ${describeLink(links[0].key)} (fleet range ${min}-${max})`);
  throw new AllocationError(
    'network.vlanId',
    `no free VLAN id is left on any backbone link of ${req.region} (${links.map((l) => l.key).join(', ')}; fleet range ${min}-${max} on each): add a link to regions.${req.region}.backboneLinks in the fleet settings`,
  );
}

/**
 * The client pool leases one address per terminal. It is sized for the ceiling of the gateway
 * size class the declared figures fall in, so a contract can grow within its class without a
 * new pool (which would move an allocation).
 */
export function clientPoolPrefix(terminals: number, requestsPerSecond: number): number {
  const capacity = Math.max(terminals, sizeFor(terminals, requestsPerSecond)?.maxTerminals ?? terminals);
  for (let prefix = 30; prefix >= 0; prefix--) {
    const size = 2 ** (32 - prefix);
    if (usableAddresses({ base: 0, prefix, size, text: '' }) >= capacity) return prefix;
  }
  return 0;
}

function lowestFreeBlock(poolText: string, prefix: number, taken: readonly Cidr[], field: string): string {
  const pool = parseCidr(poolText);
  if (!isCidr(pool)) throw new AllocationError(field, `the fleet pool ${poolText} is not a CIDR`);
  if (prefix < pool.prefix) throw new AllocationError(field, `a /${prefix} block does not fit in the fleet pool ${poolText}`);
  const size = 2 ** (32 - prefix);
  const inPool = taken.filter((c) => overlaps(c, pool)).sort((a, b) => a.base - b.base);
  let base = pool.base;
  // Jump past each clashing claim to the next aligned block: steps are bounded by the claims.
  while (base + size <= pool.base + pool.size) {
    const candidate: Cidr = { base, prefix, size, text: '' };
    const clash = inPool.find((c) => overlaps(c, candidate));
    if (clash === undefined) return `${formatAddress(base)}/${prefix}`;
    base = Math.ceil((clash.base + clash.size) / size) * size;
  }
  throw new AllocationError(field, `no free /${prefix} block is left in the fleet pool ${poolText}`);
}

function lowestFreeVlan(min: number, max: number, used: ReadonlySet<number>): number | undefined {
  for (let id = min; id <= max; id++) if (!used.has(id)) return id;
  return undefined;
}
