/**
 * Checks of closed mobile access (gateway.closedMobile): carrier SIM devices reach a Type A
 * gateway over the carrier's closed network. Their ranges are routed to a carrier-side interface
 * that must stay apart from every other network of the tenant and of the provider, or a route
 * (or a security-group rule) meant for the carrier would also match something else.
 */
import { WIDEST_CARRIER_PREFIX } from '../commitments';
import { isCidr, overlaps, parseCidr, type Cidr } from '../lib/cidr';
import type { Problem } from './problems';
import type { FieldPath, SourceFile } from './source';
import type { FleetSettings, TenantContract } from './types';


export function carrierCidrPaths(t: TenantContract): { text: string; path: FieldPath }[] {
  return (t.gateway.closedMobile?.carrierCidrs ?? []).map((c, i) => ({ text: c, path: ['gateway', 'closedMobile', 'carrierCidrs', i] }));
}

export function checkClosedMobile(t: TenantContract, src: SourceFile, fleet: FleetSettings | undefined): Problem[] {
  const mobile = t.gateway.closedMobile;
  if (mobile === undefined) return [];
  const problems: Problem[] = [];
  if (t.gateway.type !== 'A') {
    problems.push(src.problem('RAS200', ['gateway', 'closedMobile'], `closed mobile access is a Type A (VPN) service; this gateway is Type ${t.gateway.type}`));
  }
  if (!t.gateway.protocols.includes('ikev2')) {
    problems.push(src.problem('RAS200', ['gateway', 'closedMobile'], 'carrier devices connect with IKEv2: add ikev2 to gateway.protocols'));
  }
  if (!t.gateway.authentication.includes('certificate')) {
    // Carrier NAT makes the source address meaningless as identity: only the device certificate identifies.
    problems.push(src.problem('RAS200', ['gateway', 'closedMobile'], 'carrier devices authenticate by certificate only: add certificate to gateway.authentication'));
  }
  const eapTls = t.gateway.authentication.indexOf('eap-tls');
  if (eapTls !== -1) {
    // The EAP-TLS connection admits any certificate of the client CA (eap_id %any) on the internet
    // side, so a carrier device's certificate would log in there too.
    problems.push(src.problem('RAS200', ['gateway', 'authentication', eapTls], 'eap-tls admits any client certificate from the internet side, carrier devices\' included: remove eap-tls, or closed mobile access'));
  }
  if (fleet !== undefined && fleet.regions[t.region] !== undefined && fleet.regions[t.region].carrierAttachmentId === undefined) {
    problems.push(src.problem('RAS202', ['gateway', 'closedMobile'], `region ${t.region} has no carrierAttachmentId in the fleet settings (the transit gateway attachment towards the carrier)`));
  }
  const members = new Set(t.accessControl.userGroups.flatMap((g) => g.members.map((m) => m.toLowerCase())));
  mobile.identities.forEach((identity, i) => {
    if (!members.has(identity.toLowerCase())) {
      problems.push(src.problem('RAS203', ['gateway', 'closedMobile', 'identities', i], `${identity} is not a member of any user group; the firewall gives an identity its group's access`));
    }
  });
  const carriers: { cidr: Cidr; path: FieldPath }[] = [];
  for (const { text, path } of carrierCidrPaths(t)) {
    const c = parseCidr(text);
    if (!isCidr(c)) continue; // RAS110, reported with the contract's other CIDRs
    if (c.prefix < WIDEST_CARRIER_PREFIX) {
      problems.push(src.problem('RAS201', path, `${c.text} is wider than /${WIDEST_CARRIER_PREFIX}: the carrier path must admit only the carrier's device ranges, never the internet at large`));
      continue;
    }
    carriers.push({ cidr: c, path });
  }
  const others: { what: string; text: string }[] = [
    { what: 'the VPC', text: t.network.vpcCidr },
    { what: 'the client pool', text: t.gateway.clientPool },
    ...t.accessControl.hostGroups.flatMap((g) => g.cidrs.map((c) => ({ what: `host group "${g.name}"`, text: c }))),
    ...(fleet === undefined
      ? []
      : [
          { what: "the provider's operations network", text: fleet.operationsCidr },
          { what: 'the fleet VPC pool', text: fleet.pools.vpc },
          { what: 'the fleet client pool', text: fleet.pools.clientPools },
        ]),
  ];
  carriers.forEach(({ cidr, path }, i) => {
    for (const other of others) {
      const o = parseCidr(other.text);
      if (isCidr(o) && overlaps(cidr, o)) problems.push(src.problem('RAS111', path, `${cidr.text} overlaps ${other.what} ${o.text}`));
    }
    for (const earlier of carriers.slice(0, i)) {
      if (overlaps(cidr, earlier.cidr)) problems.push(src.problem('RAS111', path, `${cidr.text} overlaps carrier range ${earlier.cidr.text}`));
    }
  });
  return problems;
}
