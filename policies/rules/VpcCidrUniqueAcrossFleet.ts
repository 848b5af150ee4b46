import { cidrOf, vpcRanges } from '../address-space';
import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/** 9.1 / 13.1.3: the tenant's VPC range overlaps no other tenant's, so no address is shared across the fleet. */
export const VpcCidrUniqueAcrossFleet: Rule = ({ tenant, fleet }) =>
  forActive(tenant, 'the tenant network', () => {
    const mine = vpcRanges(tenant);
    if (mine.length === 0) return judge([finding('aws_vpc', '', undefined, "the tenant's VPC")], []);
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const m of mine) {
      const c = cidrOf(m.value);
      if (c === undefined) {
        findings.push(finding(m.resource, m.path, m.value, 'a literal IPv4 range'));
        continue;
      }
      const clash = fleet.overlapping(c, tenant.stackId, ['vpc']);
      if (clash.length === 0) seen.push(evidence(m.resource, m.path, m.value));
      for (const t of clash) findings.push(finding(m.resource, m.path, m.value, `no overlap with tenant ${t.tenant} (${t.resource} ${t.value})`));
    }
    return judge(findings, seen);
  });
