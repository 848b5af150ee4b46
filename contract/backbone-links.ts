/**
 * A region's backbone links. Each link is one transit gateway attachment towards the private
 * backbone, and a VLAN id names a tenant on one link only: ids are unique per link, and each
 * link carries the whole fleet VLAN range. The first link is the region's own (edgeNetworks.backbone,
 * backboneAttachmentId), as before links could be added; `backboneLinks` adds more, each named.
 *
 * A link's key (the `link` of a VLAN claim, in messages and the fleet-wide rules) is the region's
 * name for the first link and `<region>/<name>` for an added one, so tenants on the first link
 * keep the claims, tags and output they had.
 */
import type { FleetSettings, RegionSettings, TenantContract } from './types';

export interface BackboneLink {
  /** `<region>` (the first link) or `<region>/<name>`. */
  readonly key: string;
  /** Undefined for the region's first link. */
  readonly name?: string;
  readonly attachmentId?: string;
}

export function linkKey(region: string, name: string | undefined): string {
  return name === undefined ? region : `${region}/${name}`;
}

/** The region's links, its first link first, then backboneLinks in file order (allocation order). */
export function regionLinks(regionName: string, region: Partial<RegionSettings> | undefined): BackboneLink[] {
  return [
    { key: regionName, attachmentId: region?.backboneAttachmentId },
    ...(region?.backboneLinks ?? []).map((l) => ({ key: linkKey(regionName, l.name), name: l.name, attachmentId: l.attachmentId })),
  ];
}

/** The link a contract's VLAN rides on (its key). */
export function contractLinkKey(t: Pick<TenantContract, 'region'> & { readonly network: { readonly backboneLink?: string } }): string {
  return linkKey(t.region, t.network.backboneLink);
}

/** The tenant's link with its attachment id; undefined when the region has no such link. */
export function tenantLink(t: TenantContract, fleet: FleetSettings): BackboneLink | undefined {
  return regionLinks(t.region, fleet.regions[t.region]).find((l) => l.name === t.network.backboneLink);
}

/** How messages name a link: `backbone link of ap-northeast-1`, `backbone link b2 of ap-northeast-1`. */
export function describeLink(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? `backbone link of ${key}` : `backbone link ${key.slice(slash + 1)} of ${key.slice(0, slash)}`;
}
