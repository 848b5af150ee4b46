/**
 * The synthetic fleet at 20,000 tenants (bench/generate.ts): every tenant's (backbone link, VLAN)
 * pair, VPC and client pool unique and inside the fleet file's pools and links, and a sample of
 * them (each link's first and last, the pools' turning points) accepted by the real loader, without
 * writing or building 20,000 contracts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { MAX_SYNTHETIC_TENANTS, syntheticFleetText, syntheticTenant, writeSyntheticFleet } from '../bench/generate';
import { contractLinkKey, regionLinks } from '../contract/backbone-links';
import { loadFleet } from '../contract/load';
import type { FleetSettings, TenantContract } from '../contract/types';
import { contains, isCidr, parseCidr, type Cidr } from '../lib/cidr';
import { REPO } from './helpers/workspace';

const EXAMPLE = readFileSync(join(REPO, 'fleet.yaml'), 'utf8');
const COUNT = 20_000;

const cidr = (text: string): Cidr => {
  const c = parseCidr(text);
  if (!isCidr(c)) throw new Error(`${text}: ${c.error}`);
  return c;
};

test('20,000 tenants: unique (link, VLAN) pairs, VPCs and client pools, all inside the fleet file\'s links and pools', () => {
  expect(MAX_SYNTHETIC_TENANTS).toBeGreaterThanOrEqual(COUNT);
  const fleet = parse(syntheticFleetText(EXAMPLE, COUNT)) as FleetSettings;
  const links = new Set(Object.entries(fleet.regions).flatMap(([name, r]) => regionLinks(name, r).map((l) => l.key)));
  expect([...links].sort()).toEqual(['ap-northeast-1', 'ap-northeast-1/link-2', 'ap-northeast-1/link-3', 'ap-northeast-3', 'ap-northeast-3/link-2', 'ap-northeast-3/link-3']);
  const [vpcPool, clientPool] = [cidr(fleet.pools.vpc), cidr(fleet.pools.clientPools)];
  const pairs = new Set<string>();
  const blocks = new Set<string>();
  const perLink = new Map<string, number>();
  for (let i = 0; i < COUNT; i++) {
    const t = syntheticTenant(i);
    const link = contractLinkKey(t);
    expect(links.has(link)).toBe(true);
    pairs.add(`${link} ${t.network.vlanId}`);
    perLink.set(link, (perLink.get(link) ?? 0) + 1);
    if (t.network.vlanId < fleet.pools.vlan.min || t.network.vlanId > fleet.pools.vlan.max) throw new Error(`${t.tenant}: VLAN ${t.network.vlanId} outside the pool`);
    if (!contains(vpcPool, cidr(t.network.vpcCidr)) || !contains(clientPool, cidr(t.gateway.clientPool))) throw new Error(`${t.tenant}: outside the pools`);
    blocks.add(t.network.vpcCidr).add(t.gateway.clientPool);
  }
  expect(pairs.size).toBe(COUNT);
  expect(blocks.size).toBe(2 * COUNT);
  // Each region fills its links in order: 10,000 a region is 3,900 + 3,900 + 2,200.
  expect(Object.fromEntries(perLink)).toEqual({
    'ap-northeast-1': 3900,
    'ap-northeast-1/link-2': 3900,
    'ap-northeast-1/link-3': 2200,
    'ap-northeast-3': 3900,
    'ap-northeast-3/link-2': 3900,
    'ap-northeast-3/link-3': 2200,
  });
});

test('a sample of the 20,000 (each link\'s first and last tenant, the pools\' turning points) passes the real loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ras-bench-generate-'));
  try {
    mkdirSync(join(dir, 'tenants'));
    writeFileSync(join(dir, 'fleet.yaml'), syntheticFleetText(EXAMPLE, COUNT));
    const sample = [0, 1, 7798, 7799, 7800, 7801, 15598, 15599, 15600, 15601, 16383, 16384, 19998, 19999];
    for (const i of sample) {
      const t: TenantContract = syntheticTenant(i);
      writeFileSync(join(dir, 'tenants', `${t.tenant}.yaml`), stringify(t));
    }
    const loaded = loadFleet({ fleetFile: join(dir, 'fleet.yaml'), tenantsDir: join(dir, 'tenants') });
    const of = (i: number) => loaded.tenants.find((t) => t.id === syntheticTenant(i).tenant)!;
    expect([0, 7799, 7800, 15599, 15600, 19999].map((i) => `${of(i).network.backbone.link} ${of(i).network.vlanId}`)).toEqual([
      'ap-northeast-1 100',
      'ap-northeast-3 3999',
      'ap-northeast-1/link-2 100',
      'ap-northeast-3/link-2 3999',
      'ap-northeast-1/link-3 100',
      'ap-northeast-3/link-3 2299',
    ]);
    expect(of(16384).network.vpcCidr).toBe('10.0.0.0/24');
    expect(of(7800).network.backbone.attachmentId).toMatch(/^tgw-attach-[0-9a-f]+$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('up to 16,384 tenants the example\'s operations network and edges stay, only the VPC pool is widened', () => {
  const narrow = parse(syntheticFleetText(EXAMPLE, 16_384)) as FleetSettings;
  const example = parse(EXAMPLE) as FleetSettings;
  expect(narrow.pools).toEqual({ ...example.pools, vpc: '10.64.0.0/10' });
  expect(narrow.operationsCidr).toBe(example.operationsCidr);
  expect(narrow.regions['ap-northeast-1'].edgeNetworks).toEqual(example.regions['ap-northeast-1'].edgeNetworks);
  expect(narrow.regions['ap-northeast-1'].backboneLinks?.map((l) => l.name)).toEqual(['link-2', 'link-3']);
  const wide = parse(syntheticFleetText(EXAMPLE, 16_385)) as FleetSettings;
  expect(wide.pools).toMatchObject({ vpc: '10.0.0.0/9', clientPools: '10.128.0.0/9' });
});

test('more tenants than the links hold is refused, naming the limit', () => {
  expect(() => writeSyntheticFleet(join(tmpdir(), 'never-written'), MAX_SYNTHETIC_TENANTS + 1, join(REPO, 'fleet.yaml'))).toThrow(
    `${MAX_SYNTHETIC_TENANTS + 1} synthetic tenants asked for: at most 23400 (VLAN ids 100-3999 on each of the 3 backbone links of each of the 2 regions)`,
  );
});
