import { WIDEST_CARRIER_PREFIX } from '../../commitments';
import { contains } from '../../lib/cidr';
import { cidrOf } from '../address-space';
import { forActive } from '../gates';
import { describeOpening, sgRules } from '../network';
import { evidence, finding, judge, notApplicable } from '../results';
import type { Evidence, Finding, Rule, TenantView, TfResource } from '../types';
import { asList, ofType, referencedAddress } from '../view';

/**
 * Closed mobile access (13.1.3, CLD9.5.1): the gateway's carrier-side interface (an interface of
 * its own, beside the instance's primary one) sits in a subnet whose route table has no route to
 * the internet (no internet or NAT gateway, no default route, nothing wider than a carrier range),
 * it has no public address, and its security groups admit only the ranges that table routes to
 * the carrier. A tenant without such an interface has no carrier path: not applicable.
 */
export const CarrierPathClosedToInternet: Rule = ({ tenant }) =>
  forActive(tenant, 'the carrier path', () => {
    const interfaces = ofType(tenant, 'aws_network_interface');
    if (interfaces.length === 0) return notApplicable('no carrier-side network interface (aws_network_interface) in the stack: the tenant has no closed mobile access');
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const eni of interfaces) {
      const carrierRanges = checkRoutes(tenant, eni, findings, seen);
      checkPublicAddress(tenant, eni, findings, seen);
      checkAdmitted(tenant, eni, carrierRanges, findings, seen);
    }
    return judge(findings, seen);
  });

/** The routes of the interface's subnet; returns the destinations routed to the carrier. */
function checkRoutes(tenant: TenantView, eni: TfResource, findings: Finding[], seen: Evidence[]): string[] {
  const subnet = referencedAddress(eni.config.subnet_id);
  const association = ofType(tenant, 'aws_route_table_association').find((a) => referencedAddress(a.config.subnet_id) === subnet);
  const table = referencedAddress(association?.config.route_table_id);
  if (subnet === undefined || table === undefined) {
    // Fail closed: an unassociated subnet follows the VPC's main table, which this rule cannot see.
    findings.push(finding(eni.address, 'subnet_id', eni.config.subnet_id, 'a subnet of the stack with a route table of its own'));
    return [];
  }
  const subnetResource = tenant.resources.find((r) => r.address === subnet);
  if (subnetResource?.config.map_public_ip_on_launch === true) findings.push(finding(subnet, 'map_public_ip_on_launch', true, 'false'));
  const routes = [
    ...ofType(tenant, 'aws_route').filter((r) => referencedAddress(r.config.route_table_id) === table),
    ...ofType(tenant, 'aws_route_table')
      .filter((t) => t.address === table)
      .flatMap((t): TfResource[] => asList(t.config.route).map((r) => ({ type: t.type, name: t.name, address: t.address, config: r as Record<string, unknown> }))),
  ];
  const carrier: string[] = [];
  for (const r of routes) {
    const dest = r.config.destination_cidr_block;
    const cidr = typeof dest === 'string' ? cidrOf(dest) : undefined;
    const internetTarget = ['gateway_id', 'nat_gateway_id', 'egress_only_gateway_id', 'carrier_gateway_id'].find((k) => r.config[k] !== undefined && r.config[k] !== null && r.config[k] !== '');
    if (internetTarget !== undefined) {
      findings.push(finding(r.address, internetTarget, r.config[internetTarget], 'no internet or NAT gateway on the carrier path (only the transit gateway towards the carrier)'));
    } else if (cidr === undefined || cidr.prefix < WIDEST_CARRIER_PREFIX || r.config.destination_ipv6_cidr_block !== undefined) {
      findings.push(finding(r.address, 'destination_cidr_block', dest ?? r.config.destination_ipv6_cidr_block, `a carrier range, /${WIDEST_CARRIER_PREFIX} or narrower`));
    } else if (r.config.transit_gateway_id === undefined) {
      findings.push(finding(r.address, 'transit_gateway_id', undefined, 'the transit gateway (towards the carrier attachment)'));
    } else {
      seen.push(evidence(r.address, 'destination_cidr_block', dest));
      carrier.push(dest as string);
    }
  }
  if (routes.length === 0) seen.push(evidence(table, 'route', 'none'));
  return carrier;
}

function checkPublicAddress(tenant: TenantView, eni: TfResource, findings: Finding[], seen: Evidence[]): void {
  const eips = ofType(tenant, 'aws_eip').filter((e) => referencedAddress(e.config.network_interface) === eni.address);
  const associations = ofType(tenant, 'aws_eip_association').filter((e) => referencedAddress(e.config.network_interface_id) === eni.address);
  for (const e of [...eips, ...associations]) findings.push(finding(e.address, 'network_interface', eni.address, 'no public address on the carrier-side interface'));
  if (eips.length + associations.length === 0) seen.push(evidence(eni.address, 'public address', 'none (no aws_eip or aws_eip_association names it)'));
}

function checkAdmitted(tenant: TenantView, eni: TfResource, carrierRanges: readonly string[], findings: Finding[], seen: Evidence[]): void {
  const groups = new Set(asList(eni.config.security_groups).map((g) => referencedAddress(g)));
  const byAddress = new Map(tenant.resources.map((r) => [r.address, r]));
  const ingress = sgRules(tenant).filter((rule) => {
    if (rule.direction !== 'ingress') return false;
    if (groups.has(rule.resource)) return true; // inline ingress block of the group itself
    return groups.has(referencedAddress(byAddress.get(rule.resource)?.config.security_group_id));
  });
  const ranges = carrierRanges.map((c) => cidrOf(c)).filter((c) => c !== undefined);
  if (ingress.length === 0) seen.push(evidence(eni.address, 'security_groups ingress', 'none: nothing admitted'));
  for (const rule of ingress) {
    for (const source of rule.cidrs) {
      const cidr = cidrOf(source);
      if (cidr !== undefined && ranges.some((r) => contains(r, cidr))) seen.push(evidence(rule.resource, rule.cidrPath, `${source} → ${describeOpening(rule)}`));
      else findings.push(finding(rule.resource, rule.cidrPath, source, `only the carrier ranges routed from the carrier subnet (${carrierRanges.join(', ') || 'none'})`));
    }
  }
}
