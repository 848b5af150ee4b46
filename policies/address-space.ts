/** What each tenant's stack claims on the shared network: VPC ranges, client pools, VLAN ids. */
import { isCidr, parseCidr, type Cidr } from '../lib/cidr';
import type { Claim, FleetIndex, TenantView } from './types';
import { awsProvider } from '../output/terraform';
import { ofType } from './view';

export type { Claim, FleetIndex };

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

/**
 * VLAN ids, each with its backbone link: the region of the stack's AWS provider, and on a region's
 * added link the resource's `ras:backbone-link` tag (`<region>/<name>`, contract/backbone-links.ts).
 */
export function vlanIds(t: TenantView): Claim[] {
  return cached(t, 'vlans', () => {
    const region = awsProvider(t.tf).region;
    const linkOf = (name: unknown) => (typeof region !== 'string' ? undefined : name === undefined ? region : `${region}/${String(name)}`);
    return [...ofType(t, 'aws_ec2_transit_gateway_vpc_attachment'), ...ofType(t, 'aws_ec2_transit_gateway_route_table')]
      .map((r) => ({ r, tags: r.config.tags as Record<string, unknown> | undefined }))
      .filter((x) => x.tags?.['ras:vlan-id'] !== undefined)
      .map((x) => ({ tenant: t.stackId, resource: x.r.address, path: 'tags["ras:vlan-id"]', value: String(x.tags?.['ras:vlan-id']), link: linkOf(x.tags?.['ras:backbone-link']) }));
  });
}

/** The index key of a VLAN id on its link; a claim whose link is unknown shares one key space with every other such claim. */
const vlanKey = (value: string, link: string | undefined) => `${link ?? ''}\0${value}`;

const parsed = new Map<string, Cidr | undefined>();

/** The parsed network, or undefined for anything that is not a literal IPv4 CIDR (a reference, a typo). */
export function cidrOf(text: string): Cidr | undefined {
  if (!parsed.has(text)) {
    const c = parseCidr(text);
    parsed.set(text, isCidr(c) ? c : undefined);
  }
  return parsed.get(text);
}

/**
 * Everything one tenant claims on the shared network: all the cross-tenant rules know of the
 * other tenants. Small and plain, so a fleet's claims cross threads cheaply (build/).
 */
export interface TenantClaims {
  readonly tenant: string;
  readonly vpc: readonly Claim[];
  readonly pools: readonly Claim[];
  readonly vlans: readonly Claim[];
}

export function claimsOf(t: TenantView): TenantClaims {
  return { tenant: t.stackId, vpc: vpcRanges(t), pools: clientPools(t), vlans: vlanIds(t) };
}


interface Indexed {
  readonly claim: Claim;
  readonly kind: 'vpc' | 'pools';
  readonly order: number;
  readonly cidr: Cidr | undefined;
}

/** The index of a fleet's claims, `fleet` in the order the answers should come in (name order). */
export function fleetIndex(fleet: readonly TenantClaims[]): FleetIndex {
  const all: Indexed[] = [];
  const vlans = new Map<string, { claim: Claim; order: number }[]>();
  let order = 0;
  for (const t of fleet) {
    for (const [kind, claims] of [['vpc', t.vpc], ['pools', t.pools]] as const) {
      for (const claim of claims) all.push({ claim, kind, order: order++, cidr: cidrOf(claim.value) });
    }
    for (const claim of t.vlans) {
      const key = vlanKey(claim.value, claim.link);
      const list = vlans.get(key) ?? [];
      list.push({ claim, order: order++ });
      vlans.set(key, list);
    }
  }
  const literal = all.filter((x) => x.cidr !== undefined).sort((a, b) => a.cidr!.base - b.cidr!.base);
  const unparsable = all.filter((x) => x.cidr === undefined);
  const largest = literal.reduce((m, x) => Math.max(m, x.cidr!.size), 0);
  const index: FleetIndex = {
    overlapping(cidr, exceptTenant, kinds) {
      // Blocks starting at or after cidr's end cannot overlap; scan down from there until no
      // block, however large, could reach cidr's start.
      let lo = 0;
      let hi = literal.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (literal[mid].cidr!.base < cidr.base + cidr.size) lo = mid + 1;
        else hi = mid;
      }
      const hits: Indexed[] = [];
      for (let i = lo - 1; i >= 0 && literal[i].cidr!.base + largest > cidr.base; i--) {
        const x = literal[i];
        if (x.cidr!.base + x.cidr!.size > cidr.base) hits.push(x);
      }
      hits.push(...unparsable);
      return hits
        .filter((x) => x.claim.tenant !== exceptTenant && kinds.includes(x.kind))
        .sort((a, b) => a.order - b.order)
        .map((x) => x.claim);
    },
    sameVlan(value, link, exceptTenant) {
      return (vlans.get(vlanKey(value, link)) ?? []).filter((x) => x.claim.tenant !== exceptTenant).map((x) => x.claim);
    },
  };
  return index;
}
