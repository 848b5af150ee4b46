import { cidrOf } from '../address-space';
import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { ofType, referencedAddress } from '../view';

const PEERING = ['aws_vpc_peering_connection', 'aws_vpc_peering_connection_accepter', 'aws_ec2_transit_gateway_peering_attachment'];

/**
 * 9.1 / 13.1.3: no route of the tenant (VPC or transit gateway route table) leads into another
 * tenant's VPC or client pool, and no peering joins it to another network.
 */
export const NoRouteToAnotherTenant: Rule = ({ tenant, fleet }) =>
  forActive(tenant, 'the tenant network', () => {
    const igws = new Set(ofType(tenant, 'aws_internet_gateway').map((g) => g.address));
    const findings: Finding[] = tenant.resources.filter((r) => PEERING.includes(r.type)).map((r) => finding(r.address, '', 'declared', 'no peering with other networks'));
    const seen: Evidence[] = [];
    const routes = [...ofType(tenant, 'aws_route'), ...ofType(tenant, 'aws_ec2_transit_gateway_route')];
    for (const r of routes) {
      if (igws.has(referencedAddress(r.config.gateway_id) ?? '')) continue; // the internet path, not a private network
      const dest = r.config.destination_cidr_block;
      const cidr = typeof dest === 'string' ? cidrOf(dest) : undefined;
      if (cidr === undefined) {
        findings.push(finding(r.address, 'destination_cidr_block', dest, 'a literal IPv4 destination'));
        continue;
      }
      const [hit] = fleet.overlapping(cidr, tenant.stackId, ['vpc', 'pools']);
      if (hit !== undefined) findings.push(finding(r.address, 'destination_cidr_block', dest, `no route into tenant ${hit.tenant} (${hit.resource} ${hit.value})`));
      else seen.push(evidence(r.address, 'destination_cidr_block', dest));
    }
    return judge(findings, seen);
  });
