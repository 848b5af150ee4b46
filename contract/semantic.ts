/**
 * Checks of one contract that the schema cannot express. Each returns located problems; the
 * loader runs all of them and reports everything together.
 */
import { DISCONTINUED_LINKED_SERVICES, JAPAN_REGIONS, LINKED_SERVICE_DISCONTINUED_ON } from '../commitments';
import { contains, isCidr, overlaps, parseCidr, usableAddresses, type Cidr } from '../lib/cidr';
import { isCalendarDate } from '../lib/calendar';
import { carrierCidrPaths, checkClosedMobile } from './closed-mobile';
import type { Problem } from './problems';
import { checkRelay } from './relay-checks';
import { SIZE_CLASSES, sizeFor } from '../lib/sizing';
import type { FieldPath, SourceFile } from './source';
import type { FleetSettings, TenantContract } from './types';

/** A CIDR found in a contract, with where it was found. */
export interface LocatedCidr {
  readonly cidr: Cidr;
  readonly path: FieldPath;
}

export function checkTenant(t: TenantContract, src: SourceFile, fleet: FleetSettings | undefined): Problem[] {
  return [
    ...checkIdentity(t, src),
    ...checkRegion(t, src, fleet),
    ...checkDates(t, src),
    ...checkAddresses(t, src, fleet),
    ...checkSizing(t, src),
    ...checkProtocols(t, src),
    ...checkAccessControl(t, src),
    ...checkLinkedService(t, src),
    ...checkLabels(t, src),
    ...checkRelay(t, src),
    ...checkClosedMobile(t, src, fleet),
  ];
}

function checkIdentity(t: TenantContract, src: SourceFile): Problem[] {
  const expected = src.file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  return t.tenant === expected ? [] : [src.problem('RAS020', ['tenant'], `"${t.tenant}" must equal the file name "${expected}"`)];
}

export function checkRegionName(region: string, src: SourceFile, path: FieldPath): Problem[] {
  return JAPAN_REGIONS.includes(region)
    ? []
    : [src.problem('RAS101', path, `${region} is outside Japan; customer data must stay in Japan (allowed: ${JAPAN_REGIONS.join(', ')})`)];
}

function checkRegion(t: TenantContract, src: SourceFile, fleet: FleetSettings | undefined): Problem[] {
  const problems = checkRegionName(t.region, src, ['region']);
  if (problems.length === 0 && fleet !== undefined && fleet.regions[t.region] === undefined) {
    problems.push(src.problem('RAS102', ['region'], `${t.region} has no settings in the fleet file (configured: ${Object.keys(fleet.regions).join(', ')})`));
  }
  const link = t.network.backboneLink;
  const region = fleet?.regions[t.region];
  if (link !== undefined && region !== undefined && !(region.backboneLinks ?? []).some((l) => l.name === link)) {
    const names = (region.backboneLinks ?? []).map((l) => l.name);
    problems.push(
      src.problem('RAS102', ['network', 'backboneLink'], `${link} is not a backbone link of ${t.region} in the fleet file (${names.length === 0 ? 'it has only its first link: leave backboneLink out' : `its backboneLinks: ${names.join(', ')}`})`),
    );
  }
  return problems;
}

function checkDates(t: TenantContract, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['contractDate', 'terminationDate'] as const) {
    const value = t[field];
    if (value !== undefined && !isCalendarDate(value)) problems.push(src.problem('RAS115', [field], `${value} is not a calendar date`));
  }
  if (t.status === 'terminated' && t.terminationDate === undefined) {
    problems.push(src.problem('RAS160', ['status'], 'a terminated tenant needs terminationDate (the 45-day erasure runs from it)'));
  }
  if (t.status === 'active' && t.terminationDate !== undefined) {
    problems.push(src.problem('RAS162', ['terminationDate'], 'is set but status is active; set status: terminated or remove the date'));
  }
  if (t.terminationDate !== undefined && t.terminationDate < t.contractDate) {
    problems.push(src.problem('RAS161', ['terminationDate'], `${t.terminationDate} is before contractDate ${t.contractDate}`));
  }
  return problems;
}

/** Every CIDR of a contract that must be a valid network, with its field path. */
export function contractCidrs(t: TenantContract): { text: string; path: FieldPath }[] {
  return [
    { text: t.network.vpcCidr, path: ['network', 'vpcCidr'] },
    { text: t.gateway.clientPool, path: ['gateway', 'clientPool'] },
    ...t.accessControl.hostGroups.flatMap((g, i) => g.cidrs.map((c, j) => ({ text: c, path: ['accessControl', 'hostGroups', i, 'cidrs', j] }))),
    ...t.portal.allowedSourceCidrs.map((c, i) => ({ text: c, path: ['portal', 'allowedSourceCidrs', i] })),
    ...carrierCidrPaths(t),
  ];
}

function checkAddresses(t: TenantContract, src: SourceFile, fleet: FleetSettings | undefined): Problem[] {
  const problems: Problem[] = [];
  const parsed = new Map<string, Cidr>();
  for (const { text, path } of contractCidrs(t)) {
    const c = parseCidr(text);
    if (isCidr(c)) parsed.set(path.join('.'), c);
    else problems.push(src.problem('RAS110', path, c.error));
  }
  const vpc = parsed.get('network.vpcCidr');
  const pool = parsed.get('gateway.clientPool');
  if (vpc !== undefined && (vpc.prefix < 16 || vpc.prefix > 24)) {
    problems.push(src.problem('RAS114', ['network', 'vpcCidr'], `${vpc.text} must be between /16 and /24 (AWS allows /16-/28; the gateway needs two subnets)`));
  }
  if (vpc !== undefined && pool !== undefined && overlaps(vpc, pool)) {
    problems.push(src.problem('RAS111', ['gateway', 'clientPool'], `${pool.text} overlaps the VPC ${vpc.text}`));
  }
  // Customer networks must be distinguishable from the tenant's own addresses, or routing is ambiguous.
  t.accessControl.hostGroups.forEach((g, i) =>
    g.cidrs.forEach((_, j) => {
      const path = ['accessControl', 'hostGroups', i, 'cidrs', j];
      const host = parsed.get(path.join('.'));
      for (const [name, own] of [['the VPC', vpc], ['the client pool', pool]] as const) {
        if (host !== undefined && own !== undefined && overlaps(host, own)) {
          problems.push(src.problem('RAS111', path, `${host.text} overlaps ${name} ${own.text}`));
        }
      }
    }),
  );
  if (fleet !== undefined) {
    const ops = parseCidr(fleet.operationsCidr);
    t.accessControl.hostGroups.forEach((g, i) =>
      g.cidrs.forEach((_, j) => {
        const path = ['accessControl', 'hostGroups', i, 'cidrs', j];
        const host = parsed.get(path.join('.'));
        if (host !== undefined && isCidr(ops) && overlaps(host, ops)) {
          problems.push(src.problem('RAS111', path, `${host.text} overlaps the provider's operations network ${ops.text}; customer routes must not shadow it`));
        }
      }),
    );
    for (const [own, poolText, path] of [
      [vpc, fleet.pools.vpc, ['network', 'vpcCidr']],
      [pool, fleet.pools.clientPools, ['gateway', 'clientPool']],
    ] as const) {
      const fleetPool = parseCidr(poolText);
      if (own !== undefined && isCidr(fleetPool) && !contains(fleetPool, own)) {
        problems.push(src.problem('RAS113', path, `${own.text} is outside the fleet pool ${poolText}`));
      }
    }
    const vlan = t.network.vlanId;
    if (vlan < fleet.pools.vlan.min || vlan > fleet.pools.vlan.max) {
      problems.push(src.problem('RAS113', ['network', 'vlanId'], `${vlan} is outside the fleet VLAN range ${fleet.pools.vlan.min}-${fleet.pools.vlan.max}`));
    }
  }
  if (pool !== undefined && usableAddresses(pool) < t.gateway.sizing.terminals) {
    problems.push(
      src.problem('RAS120', ['gateway', 'clientPool'], `${pool.text} leases ${usableAddresses(pool)} addresses but ${t.gateway.sizing.terminals} terminals are declared`),
    );
  }
  return problems;
}

function checkSizing(t: TenantContract, src: SourceFile): Problem[] {
  const { terminals, requestsPerSecond } = t.gateway.sizing;
  if (sizeFor(terminals, requestsPerSecond) !== undefined) return [];
  const largest = SIZE_CLASSES[SIZE_CLASSES.length - 1];
  return [
    src.problem(
      'RAS121',
      ['gateway', 'sizing'],
      `${terminals} terminals / ${requestsPerSecond} requests per second exceed the largest class (${largest.maxTerminals} / ${largest.maxRequestsPerSecond}); split the tenant or extend SIZE_CLASSES`,
    ),
  ];
}

function checkProtocols(t: TenantContract, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  const { protocols, authentication, crypto, type } = t.gateway;
  const at = (p: string): FieldPath => ['gateway', 'protocols', protocols.indexOf(p as never)];
  if (protocols.includes('sstp')) {
    problems.push(src.problem('RAS170', at('sstp'), 'SSTP cannot be served: Debian has no SSTP server; offer ikev2 (or l2tp-ipsec) instead'));
  }
  const legacy = crypto?.profile === 'legacy';
  if (legacy && crypto?.legacyOptIn === undefined) {
    problems.push(src.problem('RAS171', ['gateway', 'crypto', 'profile'], 'legacy (3DES, modp1024, PPTP/MPPE) needs gateway.crypto.legacyOptIn with approvedBy and reason'));
  }
  if (protocols.includes('pptp') && !legacy) {
    problems.push(src.problem('RAS171', at('pptp'), 'PPTP/MPPE is legacy cryptography: it needs crypto.profile: legacy and a legacyOptIn'));
  }
  if (!legacy && crypto?.legacyOptIn !== undefined) {
    problems.push(src.problem('RAS171', ['gateway', 'crypto', 'legacyOptIn'], 'is given but crypto.profile is not legacy; remove it or choose the legacy profile'));
  }
  if (protocols.includes('l2tp-ipsec') && !authentication.includes('psk') && !authentication.includes('certificate')) {
    problems.push(src.problem('RAS172', at('l2tp-ipsec'), 'L2TP/IPsec (IKEv1) needs psk or certificate in gateway.authentication'));
  }
  if (protocols.includes('ikev2') && !authentication.some((a) => a !== 'psk')) {
    problems.push(src.problem('RAS172', at('ikev2'), 'IKEv2 remote access needs certificate, eap-mschapv2 or eap-tls in gateway.authentication'));
  }
  const relayOnly = type === 'B';
  protocols.forEach((p, i) => {
    if (relayOnly !== (p === 'https-relay')) {
      const why = relayOnly
        ? 'a Type B gateway only relays HTTP(S) for the dedicated browser: use protocols: [https-relay]'
        : 'https-relay is the Type B service; a Type A gateway offers ikev2, l2tp-ipsec or pptp';
      problems.push(src.problem('RAS190', ['gateway', 'protocols', i], `${p}: ${why}`));
    }
  });
  return problems;
}

function checkAccessControl(t: TenantContract, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  const ac = t.accessControl;
  const groups = { userGroup: ac.userGroups, hostGroup: ac.hostGroups, serviceGroup: ac.serviceGroups } as const;
  const listName = { userGroup: 'userGroups', hostGroup: 'hostGroups', serviceGroup: 'serviceGroups' } as const;
  for (const kind of Object.keys(groups) as (keyof typeof groups)[]) {
    const seen = new Set<string>();
    groups[kind].forEach((g, i) => {
      if (seen.has(g.name)) problems.push(src.problem('RAS141', ['accessControl', listName[kind], i, 'name'], `${kind} "${g.name}" is defined twice`));
      seen.add(g.name);
    });
  }
  ac.rules.forEach((rule, i) => {
    for (const kind of Object.keys(groups) as (keyof typeof groups)[]) {
      if (!groups[kind].some((g) => g.name === rule[kind])) {
        const known = groups[kind].map((g) => g.name).join(', ') || 'none';
        problems.push(src.problem('RAS140', ['accessControl', 'rules', i, kind], `${kind} "${rule[kind]}" does not exist (defined: ${known})`));
      }
    }
  });
  const owner = new Map<string, string>();
  ac.userGroups.forEach((g, i) =>
    g.members.forEach((m, j) => {
      const first = owner.get(m.toLowerCase());
      if (first !== undefined && first !== g.name) {
        problems.push(src.problem('RAS142', ['accessControl', 'userGroups', i, 'members', j], `${m} is already in user group "${first}"; an identity gets exactly one group's access`));
      }
      owner.set(m.toLowerCase(), first ?? g.name);
    }),
  );
  return problems;
}

function checkLinkedService(t: TenantContract, src: SourceFile): Problem[] {
  const service = t.network.linkedService;
  if (!DISCONTINUED_LINKED_SERVICES.includes(service) || t.contractDate < LINKED_SERVICE_DISCONTINUED_ON) return [];
  return [
    src.problem(
      'RAS150',
      ['network', 'linkedService'],
      `${service} takes no new contracts since ${LINKED_SERVICE_DISCONTINUED_ON} (contractDate is ${t.contractDate}); use private-backbone`,
    ),
  ];
}

function checkLabels(t: TenantContract, src: SourceFile): Problem[] {
  const codes = Object.values(t.serviceCodes);
  return Object.keys(t.labels ?? {})
    .filter((code) => !codes.includes(code))
    .map((code) => src.problem('RAS180', ['labels', code], `${code} is not one of this contract's service codes (${codes.join(', ')})`));
}
