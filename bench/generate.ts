/**
 * Deterministic synthetic fleets for benchmarks and scale tests: N valid tenants that differ in
 * the ways real ones do (regions, protocols, sizing, groups, a share of terminated contracts),
 * with fleet-unique addresses and service codes, and VLAN ids unique on each backbone link.
 *
 * The two regions' backbone links take every other tenant (VLAN ids are unique per link,
 * contract/fleet-checks.ts): 2 × 3,900 ids in the example range 100-3999, so at most
 * MAX_SYNTHETIC_TENANTS. The fleet file is the example one with a wider VPC pool.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ContractPaths } from '../contract/load';
import type { TenantContract } from '../contract/types';

/** Regions, each with one backbone link; tenant i is on REGIONS[i % 2]. */
const REGIONS = ['ap-northeast-1', 'ap-northeast-3'] as const;

/** VLAN ids 100-3999 on each of the two links. */
export const MAX_SYNTHETIC_TENANTS = REGIONS.length * 3900;

export function syntheticTenant(i: number): TenantContract {
  const n = String(i).padStart(5, '0');
  const code = (prefix: string) => `${prefix}-${String(5_000_000 + i)}`;
  const terminated = i % 10 === 9;
  const legacy = i % 7 === 3;
  const terminals = 20 + ((i * 37) % 230);
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
      // One /24 per tenant from 10.128.0.0/10.
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
    // One /24 per tenant from 10.64.0.0/10 (the fleet file's pool, widened); the VLAN id
    // counts on its region's link.
    network: { linkedService: 'private-backbone', vpcCidr: `10.${64 + (i >> 8)}.${i & 255}.0/24`, vlanId: 100 + Math.floor(i / REGIONS.length) },
    portal: {
      operators: [{ id: 'admin', email: `admin@t${n}.example`, role: 'administrator' }],
      twoFactorRequired: true,
      allowedSourceCidrs: ['203.0.113.0/28'],
      lockoutThreshold: 5,
    },
  };
}

/**
 * Writes fleet.yaml (`fleetFile` with its VPC pool widened to 10.64.0.0/10, 16,384 /24s: the example /12 holds
 * 4,096 /24s) and `count` tenants under `dir`.
 */
export function writeSyntheticFleet(dir: string, count: number, fleetFile: string): ContractPaths {
  if (count > MAX_SYNTHETIC_TENANTS) {
    throw new Error(`${count} synthetic tenants asked for: at most ${MAX_SYNTHETIC_TENANTS} (VLAN ids 100-3999 on each of the ${REGIONS.length} regions' backbone links)`);
  }
  const tenantsDir = join(dir, 'tenants');
  mkdirSync(tenantsDir, { recursive: true });
  const fleet = readFileSync(fleetFile, 'utf8');
  const wider = fleet.replace(/^(\s+vpc:\s*)10\.64\.0\.0\/12\s*$/m, '$110.64.0.0/10');
  if (wider === fleet) throw new Error(`${fleetFile}: no VPC pool 10.64.0.0/12 to widen for the synthetic fleet`);
  writeFileSync(join(dir, 'fleet.yaml'), wider);
  for (let i = 0; i < count; i++) {
    const t = syntheticTenant(i);
    writeFileSync(join(tenantsDir, `${t.tenant}.yaml`), stringify(t));
  }
  return { fleetFile: join(dir, 'fleet.yaml'), tenantsDir };
}
