/**
 * What each tenant will claim on the shared network (VPC range, client pool, VLAN id), known from
 * its contract before anything is synthesized: the fleet-wide rules need every tenant's claims,
 * and a build that synthesizes only some tenants (one shard, the changed tenants of an
 * incremental build) or holds no tenant's output longer than its chunk must know the others'
 * claims without synthesizing them.
 *
 * The rules still judge what was synthesized: every tenant built is read back and its claims
 * compared with these (claimsMismatch); a difference stops the build, so a construct change that
 * moves a claim cannot make the fleet-wide rules judge stale addresses.
 */
import type { TenantModel } from '../contract/model';
import type { Claim, TenantClaims } from '../policies/address-space';

/* eslint-disable @typescript-eslint/no-require-imports -- cdktf's own logical-id scheme, typed here */
const { makeUniqueId } = require('cdktf/lib/private/unique') as { makeUniqueId: (components: string[]) => string };
/* eslint-enable @typescript-eslint/no-require-imports */

/** A resource's Terraform address from its construct path below the stack, as cdktf names it. */
function address(type: string, ...path: string[]): string {
  return `${type}.${makeUniqueId(path)}`;
}

// Construct paths as stacks/tenant-stack.ts, constructs/isolated-network.ts and
// constructs/backbone-attachment.ts build them (construct ids are a stable API).
const VPC = address('aws_vpc', 'Network', 'Vpc');
const CLIENT_POOL_ROUTE = address('aws_route', 'Network', 'Route-backbone-client-pool');
const ATTACHMENT = address('aws_ec2_transit_gateway_vpc_attachment', 'Backbone', 'Attachment');
const TRANSIT_ROUTE_TABLE = address('aws_ec2_transit_gateway_route_table', 'Backbone', 'RouteTable');

/** The claims the tenant's synthesized stack will make: none for a terminated tenant (no network). */
export function contractClaims(t: TenantModel): TenantClaims {
  if (!t.active) return { tenant: t.id, vpc: [], pools: [], vlans: [] };
  const claim = (resource: string, path: string, value: string, link?: string): Claim => ({ tenant: t.id, resource, path, value, ...(link === undefined ? {} : { link }) });
  const vlan = String(t.network.vlanId);
  // The tenant's backbone link: its stack's provider region, with the `ras:backbone-link` tag on an
  // added link (stacks/tenant-stack.ts), as policies/address-space.ts reads it back.
  const link = t.network.backbone.link;
  return {
    tenant: t.id,
    vpc: [claim(VPC, 'cidr_block', t.network.vpcCidr)],
    pools: [claim(CLIENT_POOL_ROUTE, 'destination_cidr_block', t.contract.gateway.clientPool)],
    vlans: [claim(ATTACHMENT, 'tags["ras:vlan-id"]', vlan, link), claim(TRANSIT_ROUTE_TABLE, 'tags["ras:vlan-id"]', vlan, link)],
  };
}

/** Undefined when the synthesized claims are the expected ones; else what differs, for the error. */
export function claimsMismatch(expected: TenantClaims, synthesized: TenantClaims): string | undefined {
  const text = (c: TenantClaims) => JSON.stringify([c.vpc, c.pools, c.vlans]);
  if (text(expected) === text(synthesized)) return undefined;
  return `tenant ${expected.tenant}: its synthesized stack claims ${text(synthesized)} on the shared network, its contract ${text(expected)} (build/claims.ts no longer matches the constructs)`;
}
