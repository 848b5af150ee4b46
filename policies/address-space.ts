/** What each tenant's stack claims on the shared network: VPC ranges, client pools, VLAN ids. */
import { isCidr, parseCidr, type Cidr } from '../contract/cidr';
import type { TenantView } from './types';
import { ofType } from './view';

export interface Claim {
  readonly tenant: string;
  readonly resource: string;
  readonly path: string;
  readonly value: string;
}

// Views are immutable, and the fleet-wide rules ask every tenant about every other: compute once per view.
const cache = new WeakMap<TenantView, Map<string, Claim[]>>();

function cached(t: TenantView, kind: string, compute: () => Claim[]): Claim[] {
  let byKind = cache.get(t);
  if (byKind === undefined) cache.set(t, (byKind = new Map()));
  let claims = byKind.get(kind);
  if (claims === undefined) byKind.set(kind, (claims = compute()));
  return claims;
}

export function vpcRanges(t: TenantView): Claim[] {
  return cached(t, 'vpc', () => [
    ...ofType(t, 'aws_vpc').map((r) => ({ tenant: t.stackId, resource: r.address, path: 'cidr_block', value: String(r.config.cidr_block) })),
    ...ofType(t, 'aws_vpc_ipv4_cidr_block_association').map((r) => ({ tenant: t.stackId, resource: r.address, path: 'cidr_block', value: String(r.config.cidr_block) })),
  ]);
}

/** Client pools: routes that send a range to the tenant's own gateway interface. */
export function clientPools(t: TenantView): Claim[] {
  return cached(t, 'pools', () =>
    ofType(t, 'aws_route')
      .filter((r) => r.config.network_interface_id !== undefined)
      .map((r) => ({ tenant: t.stackId, resource: r.address, path: 'destination_cidr_block', value: String(r.config.destination_cidr_block) })),
  );
}

export function vlanIds(t: TenantView): Claim[] {
  return cached(t, 'vlans', () =>
    [...ofType(t, 'aws_ec2_transit_gateway_vpc_attachment'), ...ofType(t, 'aws_ec2_transit_gateway_route_table')]
      .map((r) => ({ r, v: (r.config.tags as Record<string, unknown> | undefined)?.['ras:vlan-id'] }))
      .filter((x) => x.v !== undefined)
      .map((x) => ({ tenant: t.stackId, resource: x.r.address, path: 'tags["ras:vlan-id"]', value: String(x.v) })),
  );
}

const parsed = new Map<string, Cidr | undefined>();

/** The parsed network, or undefined for anything that is not a literal IPv4 CIDR (a reference, a typo). */
export function cidrOf(text: string): Cidr | undefined {
  if (!parsed.has(text)) {
    const c = parseCidr(text);
    parsed.set(text, isCidr(c) ? c : undefined);
  }
  return parsed.get(text);
}

export function others(fleet: readonly TenantView[], tenant: TenantView): TenantView[] {
  return fleet.filter((t) => t.stackId !== tenant.stackId);
}
