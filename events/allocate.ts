/**
 * Allocation of what the contract system does not know: the tenant VPC block, the VPN client
 * pool and the backbone VLAN id, from the fleet pools. Always the lowest free block (or id), so
 * the result is predictable; a block is free when it overlaps nothing any tenant holds (VPCs,
 * client pools, reserved blocks of purged tenants) nor the operations network. Only new tenants
 * are allocated: an existing allocation never moves.
 */
import { formatAddress, isCidr, overlaps, parseCidr, usableAddresses, type Cidr } from '../lib/cidr';
import { sizeFor } from '../lib/sizing';
import type { FleetSettings } from '../contract/types';

/** What is already taken: address blocks across the fleet, VLAN ids on the new contract's backbone link (its region). */
export interface Claims {
  readonly cidrs: readonly string[];
  readonly vlans: readonly number[];
}

export interface AllocationRequest {
  readonly vpcCidr?: string;
  readonly clientPool?: string;
  readonly vlanId?: number;
  readonly terminals: number;
  readonly requestsPerSecond: number;
  /** The new contract's own networks (host groups): a block must not overlap them either. */
  readonly ownCidrs: readonly string[];
}

export interface Allocation {
  readonly vpcCidr: string;
  readonly clientPool: string;
  readonly vlanId: number;
  /** The fields that were allocated here (given ones are kept as they are). */
  readonly allocated: readonly ('network.vpcCidr' | 'gateway.clientPool' | 'network.vlanId')[];
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
  if (vlanId === undefined) {
    vlanId = lowestFreeVlan(fleet.pools.vlan.min, fleet.pools.vlan.max, new Set(claims.vlans));
    allocated.push('network.vlanId');
  }
  return { vpcCidr, clientPool, vlanId, allocated };
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

function lowestFreeVlan(min: number, max: number, used: ReadonlySet<number>): number {
  for (let id = min; id <= max; id++) if (!used.has(id)) return id;
  throw new AllocationError('network.vlanId', `no free VLAN id is left on the region's backbone link (fleet range ${min}-${max})`);
}
