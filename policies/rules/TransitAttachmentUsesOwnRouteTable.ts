import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { ofType, referencedAddress } from '../view';

/**
 * 9.1 / 13.1.3: the tenant's transit gateway attachment neither associates with nor propagates
 * into the transit gateway's default (shared) route table; it is associated with and propagated
 * into a route table of its own.
 */
export const TransitAttachmentUsesOwnRouteTable: Rule = ({ tenant }) =>
  forActive(tenant, 'the backbone attachment', () => {
    const attachments = ofType(tenant, 'aws_ec2_transit_gateway_vpc_attachment');
    if (attachments.length === 0) return judge([finding('aws_ec2_transit_gateway_vpc_attachment', '', undefined, 'the tenant VPC attachment')], []);
    const tables = new Set(ofType(tenant, 'aws_ec2_transit_gateway_route_table').map((t) => t.address));
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const a of attachments) {
      for (const key of ['transit_gateway_default_route_table_association', 'transit_gateway_default_route_table_propagation']) {
        // Absent means true (AWS's default): the shared table would learn the tenant.
        if (a.config[key] === false) seen.push(evidence(a.address, key, false));
        else findings.push(finding(a.address, key, a.config[key], 'false'));
      }
      for (const type of ['aws_ec2_transit_gateway_route_table_association', 'aws_ec2_transit_gateway_route_table_propagation']) {
        const link = ofType(tenant, type).find((l) => referencedAddress(l.config.transit_gateway_attachment_id) === a.address);
        if (link !== undefined && tables.has(referencedAddress(link.config.transit_gateway_route_table_id) ?? '')) seen.push(evidence(link.address, 'transit_gateway_route_table_id', link.config.transit_gateway_route_table_id));
        else findings.push(finding(link?.address ?? type, 'transit_gateway_route_table_id', link?.config.transit_gateway_route_table_id, "the tenant's own transit gateway route table"));
      }
    }
    return judge(findings, seen);
  });
