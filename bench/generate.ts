/**
 * Deterministic synthetic fleets for benchmarks and scale tests: N valid tenants that differ in
 * the ways real ones do (regions, protocols, sizing, groups, a share of terminated contracts),
 * with fleet-unique addresses and service codes, and VLAN ids unique on each backbone link.
 *
 * Tenants alternate between the two regions, and each region fills its backbone links one after
 * the other (VLAN ids are unique per link, contract/backbone-links.ts): 3,900 ids (the example
 * range 100-3999) on each of LINKS_PER_REGION links, so at most MAX_SYNTHETIC_TENANTS. The fleet
 * file is the example one with each region's added links, and its pools widened as far as the
 * count needs (syntheticFleetText).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { ContractPaths } from '../contract/load';
import type { TenantContract } from '../contract/types';

/** Regions; tenant i is on REGIONS[i % 2]. */
const REGIONS = ['ap-northeast-1', 'ap-northeast-3'] as const;

/** Backbone links per region: its first link and the added `link-2`, `link-3`. */
const LINKS_PER_REGION = 3;

/** VLAN ids 100-3999 on each link. */
const VLANS_PER_LINK = 3900;

export const MAX_SYNTHETIC_TENANTS = REGIONS.length * LINKS_PER_REGION * VLANS_PER_LINK;

/** Tenants the example's pools hold once the VPC pool is widened to 10.64.0.0/10: 16,384 /24s each for VPCs and client pools. */
const NARROW_POOLS_HOLD = 16_384;

/** The link and VLAN id of synthetic tenant i: its region's (i >> 1)-th tenant, links filled in order. */
export function syntheticVlan(i: number): { readonly link?: string; readonly vlanId: number } {
  const inRegion = Math.floor(i / REGIONS.length);
  const link = Math.floor(inRegion / VLANS_PER_LINK);
  return { ...(link === 0 ? {} : { link: `link-${link + 1}` }), vlanId: 100 + (inRegion % VLANS_PER_LINK) };
}

export function syntheticTenant(i: number): TenantContract {
  const n = String(i).padStart(5, '0');
  const code = (prefix: string) => `${prefix}-${String(5_000_000 + i)}`;
  const terminated = i % 10 === 9;
  const legacy = i % 7 === 3;
  const terminals = 20 + ((i * 37) % 230);
  const vlan = syntheticVlan(i);
  return {
    tenant: `tenant-${n}`,
    customer: { name: `合成テナント ${n} 株式会社` },
    serviceCodes: { management: code('RAM'), gateway: code('RAG'), network: code('RAN') },
    labels: { [code('RAM')]: `拠点 ${n}` },
    contractDate: '2023-04-01',
    status: terminated ? 'terminated' : 'active',
    ...(terminated ? { terminationDate: '2026-11-01' } : {}),
    region: REGIONS[i % REGIONS.length],
    gateway: {
      type: 'A',
      sizing: { terminals, requestsPerSecond: Math.max(1, Math.floor(terminals / 2)) },
      protocols: legacy ? ['ikev2', 'l2tp-ipsec', 'pptp'] : i % 2 === 0 ? ['ikev2', 'l2tp-ipsec'] : ['ikev2'],
      crypto: legacy ? { profile: 'legacy', legacyOptIn: { approvedBy: 'Synthetic approver', reason: 'Synthetic legacy clients.' } } : { profile: 'strong' },
      // One /24 per tenant from 10.128.0.0/10 (beyond 16,384 tenants: 10.128.0.0/9).
      clientPool: `10.${128 + (i >> 8)}.${i & 255}.0/24`,
      authentication: ['certificate', 'eap-mschapv2', 'psk'],
    },
    accessControl: {
      userGroups: [
        { name: 'staff', members: [`user-a@t${n}.example`, `user-b@t${n}.example`] },
        { name: 'admins', members: [`admin@t${n}.example`] },
      ],
      hostGroups: [
        { name: 'intranet', cidrs: ['172.16.0.0/24'] },
        { name: 'servers', cidrs: ['172.17.0.0/24', '172.17.1.0/24'] },
      ],
      serviceGroups: [
        { name: 'web', services: [{ protocol: 'tcp', ports: [80, 443] }] },
        { name: 'ssh', services: [{ protocol: 'tcp', ports: [22] }] },
      ],
      rules: [
        { userGroup: 'staff', hostGroup: 'intranet', serviceGroup: 'web' },
        { userGroup: 'admins', hostGroup: 'servers', serviceGroup: 'ssh' },
      ],
    },
    // One /24 per tenant from 10.64.0.0/10 (the fleet file's pool, widened); beyond 16,384 tenants
    // the pool is 10.0.0.0/9 and the next ones wrap round to 10.0.0.0/24 onwards. The VLAN id
    // counts on its region's link.
    network: {
      linkedService: 'private-backbone',
      vpcCidr: `10.${(64 + (i >> 8)) % 128}.${i & 255}.0/24`,
      vlanId: vlan.vlanId,
      ...(vlan.link === undefined ? {} : { backboneLink: vlan.link }),
    },
    portal: {
      operators: [{ id: 'admin', email: `admin@t${n}.example`, role: 'administrator' }],
      twoFactorRequired: true,
      allowedSourceCidrs: ['203.0.113.0/28'],
      lockoutThreshold: 5,
    },
  };
}

/**
 * The synthetic fleet's settings: `fleet` (the example fleet.yaml's text) with each region's added
 * backbone links (`link-2`, `link-3`, example attachment ids, edge VPCs in 192.168.16.0/20), its
 * VPC pool widened to 10.64.0.0/10 (16,384 /24s: the example /12 holds 4,096) and, beyond 16,384
 * tenants, the VPC pool 10.0.0.0/9 and client pools 10.128.0.0/9 (32,768 /24s each), the
 * operations network and edge VPCs moved out of 10.0.0.0/8 to make room.
 */
export function syntheticFleetText(fleet: string, count: number, fleetFile = 'fleet.yaml'): string {
  const doc = parseDocument(fleet);
  const expect = (path: string[], value: string) => {
    if (doc.getIn(path) !== value) throw new Error(`${fleetFile}: ${path.join('.')} is not ${value}, the example value the synthetic fleet widens`);
  };
  expect(['pools', 'vpc'], '10.64.0.0/12');
  REGIONS.forEach((region, r) => {
    if (!doc.hasIn(['regions', region])) throw new Error(`${fleetFile}: no region ${region} for the synthetic fleet`);
    const links = Array.from({ length: LINKS_PER_REGION - 1 }, (_, k) => ({
      name: `link-${k + 2}`,
      edgeNetwork: `192.168.${16 + r * 8 + k}.0/24`,
      attachmentId: `tgw-attach-0${String(r)}${String(k)}ba5e11c0ffee0`,
    }));
    doc.setIn(['regions', region, 'backboneLinks'], doc.createNode(links));
  });
  if (count <= NARROW_POOLS_HOLD) {
    doc.setIn(['pools', 'vpc'], '10.64.0.0/10');
  } else {
    doc.setIn(['pools', 'vpc'], '10.0.0.0/9');
    doc.setIn(['pools', 'clientPools'], '10.128.0.0/9');
    doc.setIn(['operationsCidr'], '192.168.255.0/24');
    doc.setIn(['regions', REGIONS[0], 'edgeNetworks'], doc.createNode({ backbone: '192.168.0.0/24', operations: '192.168.255.0/24' }, { flow: true }));
    doc.setIn(['regions', REGIONS[1], 'edgeNetworks'], doc.createNode({ backbone: '192.168.1.0/24', operations: '192.168.2.0/24' }, { flow: true }));
  }
  return doc.toString();
}

/** Writes fleet.yaml (syntheticFleetText of `fleetFile`) and `count` tenants under `dir`. */
export function writeSyntheticFleet(dir: string, count: number, fleetFile: string): ContractPaths {
  if (count > MAX_SYNTHETIC_TENANTS) {
    throw new Error(
      `${count} synthetic tenants asked for: at most ${MAX_SYNTHETIC_TENANTS} (VLAN ids 100-3999 on each of the ${LINKS_PER_REGION} backbone links of each of the ${REGIONS.length} regions)`,
    );
  }
  const tenantsDir = join(dir, 'tenants');
  mkdirSync(tenantsDir, { recursive: true });
  writeFileSync(join(dir, 'fleet.yaml'), syntheticFleetText(readFileSync(fleetFile, 'utf8'), count, fleetFile));
  for (let i = 0; i < count; i++) {
    const t = syntheticTenant(i);
    writeFileSync(join(tenantsDir, `${t.tenant}.yaml`), stringify(t));
  }
  return { fleetFile: join(dir, 'fleet.yaml'), tenantsDir };
}
