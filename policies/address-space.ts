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

export function vpcRanges(t: TenantView): Claim[] {
  return [
    ...ofType(t, 'aws_vpc').map((r) => ({ tenant: t.stackId, resource: r.address, path: 'cidr_block', value: String(r.config.cidr_block) })),
    ...ofType(t, 'aws_vpc_ipv4_cidr_block_association').map((r) => ({ tenant: t.stackId, resource: r.address, path: 'cidr_block', value: String(r.config.cidr_block) })),
  ];
}

/** Client pools: routes that send a range to the tenant's own gateway interface. */
export function clientPools(t: TenantView): Claim[] {
  return ofType(t, 'aws_route')
    .filter((r) => r.config.network_interface_id !== undefined)
    .map((r) => ({ tenant: t.stackId, resource: r.address, path: 'destination_cidr_block', value: String(r.config.destination_cidr_block) }));
}

export function vlanIds(t: TenantView): Claim[] {
  return [...ofType(t, 'aws_ec2_transit_gateway_vpc_attachment'), ...ofType(t, 'aws_ec2_transit_gateway_route_table')]
    .map((r) => ({ r, v: (r.config.tags as Record<string, unknown> | undefined)?.['ras:vlan-id'] }))
    .filter((x) => x.v !== undefined)
    .map((x) => ({ tenant: t.stackId, resource: x.r.address, path: 'tags["ras:vlan-id"]', value: String(x.v) }));
}

export function cidrOf(text: string): Cidr | undefined {
  const c = parseCidr(text);
  return isCidr(c) ? c : undefined;
}

export function others(fleet: readonly TenantView[], tenant: TenantView): TenantView[] {
  return fleet.filter((t) => t.stackId !== tenant.stackId);
}
