import { vlanIds } from '../address-space';
import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';
import { ofType } from '../view';

/**
 * 9.2 / CLD13.1.4: virtual and physical paths agree: the tenant's attachment and its transit
 * route table both carry one and the same VLAN id (a literal number), the one the backbone routes.
 */
export const VlanTaggedConsistently: Rule = ({ tenant }) =>
  forActive(tenant, 'the backbone attachment', () => {
    const carriers = [...ofType(tenant, 'aws_ec2_transit_gateway_vpc_attachment'), ...ofType(tenant, 'aws_ec2_transit_gateway_route_table')];
    if (carriers.length === 0) return judge([finding('aws_ec2_transit_gateway_vpc_attachment', '', undefined, 'the backbone attachment and its route table')], []);
    const ids = vlanIds(tenant);
    const values = new Set(ids.map((i) => i.value));
    const findings = carriers
      .filter((c) => !ids.some((i) => i.resource === c.address && /^\d+$/.test(i.value)))
      .map((c) => finding(c.address, 'tags["ras:vlan-id"]', (c.config.tags as Record<string, unknown> | undefined)?.['ras:vlan-id'], 'the VLAN id, a literal number'));
    if (values.size > 1) findings.push(finding(ids.map((i) => i.resource).join(', '), 'tags["ras:vlan-id"]', [...values].join(' ≠ '), 'one VLAN id on the attachment and its route table'));
    return judge(findings, ids.map((i) => evidence(i.resource, i.path, i.value)));
  });
