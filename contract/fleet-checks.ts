/**
 * Checks across the whole fleet: what must be unique between tenants (addresses, VLANs,
 * service codes), and the fleet settings file itself.
 */
import { isCidr, overlaps, parseCidr, type Cidr } from '../lib/cidr';
import { contractLinkKey, describeLink } from './backbone-links';
import { gatewayImageName, parseImageBuildArn } from '../lib/image-pipeline';
import { fieldName, type Problem } from './problems';
import { checkRegionName } from './semantic';
import type { FieldPath, SourceFile } from './source';
import type { FleetSettings, TenantContract } from './types';

export interface LoadedTenant {
  readonly contract: TenantContract;
  readonly source: SourceFile;
}

export function checkFleetSettings(f: FleetSettings, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  for (const [name, region] of Object.entries(f.regions)) {
    problems.push(...checkRegionName(name, src, ['regions', name]));
    const seen = new Set<string>();
    (region.backboneLinks ?? []).forEach((l, i) => {
      if (seen.has(l.name)) problems.push(src.problem('RAS010', ['regions', name, 'backboneLinks', i, 'name'], `backbone link ${l.name} is named twice in ${name}`));
      seen.add(l.name);
    });
    if (!region.availabilityZone.startsWith(name)) {
      problems.push(src.problem('RAS010', ['regions', name, 'availabilityZone'], `${region.availabilityZone} is not a zone of ${name}`));
    }
  }
  problems.push(...checkRegionName(f.stateBackend.region, src, ['stateBackend', 'region']));
  problems.push(...checkImagePins(f, src));
  const cidrs: [string, FieldPath][] = [
    [f.operationsCidr, ['operationsCidr']],
    [f.pools.vpc, ['pools', 'vpc']],
    [f.pools.clientPools, ['pools', 'clientPools']],
    ...Object.entries(f.regions).flatMap(([name, r]): [string, FieldPath][] => [
      [r.edgeNetworks.backbone, ['regions', name, 'edgeNetworks', 'backbone']],
      ...(r.backboneLinks ?? []).map((l, i): [string, FieldPath] => [l.edgeNetwork, ['regions', name, 'backboneLinks', i, 'edgeNetwork']]),
      // The operations edge may lie in the operations network itself (where it lands), never in a pool.
      ...(withinOperations(r.edgeNetworks.operations, f.operationsCidr) ? [] : [[r.edgeNetworks.operations, ['regions', name, 'edgeNetworks', 'operations']] as [string, FieldPath]]),
    ]),
  ];
  const parsed: [Cidr, FieldPath][] = [];
  for (const [text, path] of cidrs) {
    const c = parseCidr(text);
    if (isCidr(c)) parsed.push([c, path]);
    else problems.push(src.problem('RAS110', path, c.error));
  }
  // Operations network, VPC pool and client pool must be disjoint, or routes become ambiguous.
  parsed.forEach(([a, pathA], i) =>
    parsed.slice(i + 1).forEach(([b, pathB]) => {
      if (overlaps(a, b)) problems.push(src.problem('RAS111', pathB, `${b.text} overlaps ${fieldName(pathA)} ${a.text}`));
    }),
  );
  if (f.pools.vlan.min > f.pools.vlan.max) {
    problems.push(src.problem('RAS010', ['pools', 'vlan'], `min ${f.pools.vlan.min} is greater than max ${f.pools.vlan.max}`));
  }
  return problems;
}

/**
 * Every pinned gateway image names the image build it came from, and that build is one of the
 * fleet's own pipeline (this account, the build region, the recipe's name) at the recipe's current
 * version, so an image built by hand, elsewhere or from an older recipe cannot be pinned. Which
 * AMI a build produced in each region is AWS's record (`aws imagebuilder get-image`); offline,
 * the pin's build is what can be checked.
 */
function checkImagePins(f: FleetSettings, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  const pipeline = f.imagePipeline;
  if (!(pipeline.region in f.regions)) {
    problems.push(src.problem('RAS102', ['imagePipeline', 'region'], `${pipeline.region} is not one of the fleet's regions (${Object.keys(f.regions).join(', ')})`));
  }
  const name = gatewayImageName(f.namePrefix);
  for (const [region, settings] of Object.entries(f.regions)) {
    const arn = parseImageBuildArn(settings.gatewayImageBuild);
    const expected = `arn:aws:imagebuilder:${pipeline.region}:${f.accountId}:image/${name}/${pipeline.recipeVersion}/<build>`;
    if (arn === undefined || arn.region !== pipeline.region || arn.account !== f.accountId || arn.name !== name || arn.version !== pipeline.recipeVersion) {
      problems.push(src.problem('RAS106', ['regions', region, 'gatewayImageBuild'], `${settings.gatewayImageBuild} is not a build of the fleet's image pipeline (expected ${expected})`));
    }
  }
  return problems;
}

function withinOperations(edge: string, operations: string): boolean {
  const [a, b] = [parseCidr(edge), parseCidr(operations)];
  return isCidr(a) && isCidr(b) && overlaps(a, b);
}

/** Fleet-wide uniqueness: VPC and client pool addresses, VLAN ids and service codes. */
export function checkAcrossTenants(tenants: readonly LoadedTenant[]): Problem[] {
  return [...checkAddressOverlaps(tenants), ...checkUnique(tenants, 'RAS130', vlanKeys), ...checkUnique(tenants, 'RAS131', serviceCodeKeys)];
}

interface Claim {
  readonly owner: LoadedTenant;
  readonly path: FieldPath;
  readonly cidr: Cidr;
}

function checkAddressOverlaps(tenants: readonly LoadedTenant[]): Problem[] {
  const claims: Claim[] = [];
  for (const t of tenants) {
    for (const path of [['network', 'vpcCidr'], ['gateway', 'clientPool']] as const) {
      const text = path[0] === 'network' ? t.contract.network.vpcCidr : t.contract.gateway.clientPool;
      const cidr = parseCidr(text);
      if (isCidr(cidr)) claims.push({ owner: t, path, cidr });
    }
  }
  // Sweep in address order: each block is compared only with blocks still open at its start.
  claims.sort((a, b) => a.cidr.base - b.cidr.base || b.cidr.size - a.cidr.size);
  const problems: Problem[] = [];
  const open: Claim[] = [];
  for (const claim of claims) {
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i].cidr.base + open[i].cidr.size <= claim.cidr.base) open.splice(i, 1);
    }
    for (const other of open) {
      if (other.owner === claim.owner) continue; // overlaps inside one contract are RAS111
      problems.push(report(claim, other), report(other, claim));
    }
    open.push(claim);
  }
  return problems;
}

function report(claim: Claim, other: Claim): Problem {
  return claim.owner.source.problem(
    'RAS112',
    claim.path,
    `${claim.cidr.text} overlaps ${other.cidr.text} of tenant ${other.owner.contract.tenant} (${other.owner.source.file})`,
  );
}

interface Key {
  /** What must be unique. */
  readonly value: string;
  /** How the message names it. @default value */
  readonly shown?: string;
  readonly path: FieldPath;
  readonly what: string;
}

/**
 * A VLAN id names a tenant on one backbone link (contract/backbone-links.ts): unique per link, as
 * VlanUniqueAcrossFleet judges the synthesized stacks. The same id on another link of the same
 * region is another VLAN.
 */
function vlanKeys(t: TenantContract): Key[] {
  const link = contractLinkKey(t);
  return [{ value: `${link}\0${t.network.vlanId}`, shown: `${t.network.vlanId} (${describeLink(link)})`, path: ['network', 'vlanId'], what: 'VLAN id' }];
}

function serviceCodeKeys(t: TenantContract): Key[] {
  return (['management', 'gateway', 'network'] as const).map((k) => ({ value: t.serviceCodes[k], path: ['serviceCodes', k], what: 'service code' }));
}

function checkUnique(tenants: readonly LoadedTenant[], code: 'RAS130' | 'RAS131', keysOf: (t: TenantContract) => Key[]): Problem[] {
  const holders = new Map<string, { tenant: LoadedTenant; key: Key }[]>();
  for (const tenant of tenants) {
    for (const key of keysOf(tenant.contract)) {
      const list = holders.get(key.value) ?? [];
      list.push({ tenant, key });
      holders.set(key.value, list);
    }
  }
  const problems: Problem[] = [];
  for (const list of holders.values()) {
    if (list.length < 2) continue;
    for (const { tenant, key } of list) {
      const others = list.filter((o) => o.tenant !== tenant).map((o) => `${o.tenant.contract.tenant} (${o.tenant.source.file})`);
      const where = others.length === 0 ? 'another service of this contract' : [...new Set(others)].join(', ');
      problems.push(tenant.source.problem(code, key.path, `${key.what} ${key.shown ?? key.value} is also used by ${where}`));
    }
  }
  return problems;
}
