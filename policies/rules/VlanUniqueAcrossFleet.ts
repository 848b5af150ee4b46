import { vlanIds } from '../address-space';
import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/**
 * 9.2 / CLD13.1.4: the tenant's VLAN on the physical backbone is its own: no other tenant carries
 * the same id on the same backbone link (one backbone attachment: a region has one or more). The
 * same id on another link, of this region or another, is another VLAN: the links never carry each
 * other's frames.
 */
export const VlanUniqueAcrossFleet: Rule = ({ tenant, fleet }) =>
  forActive(tenant, 'the backbone attachment', () => {
    const mine = vlanIds(tenant);
    if (mine.length === 0) return judge([finding('aws_ec2_transit_gateway_vpc_attachment', 'tags["ras:vlan-id"]', undefined, "the tenant's VLAN id")], []);
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const m of mine) {
      const clash = fleet.sameVlan(m.value, m.link, tenant.stackId);
      if (clash.length === 0) seen.push(evidence(m.resource, m.path, m.value));
      for (const t of clash) findings.push(finding(m.resource, m.path, m.value, `a VLAN id no other tenant uses on its backbone link${m.link === undefined ? '' : ` (${m.link})`} (tenant ${t.tenant} has ${t.value} on ${t.resource})`));
    }
    return judge(findings, seen);
  });
