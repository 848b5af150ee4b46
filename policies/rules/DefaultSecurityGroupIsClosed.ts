import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { ofType, referencedAddress } from '../view';

/**
 * 5.8 / CLD9.5.2: each VPC's default security group is taken over with no rules, so nothing
 * can fall back on AWS's default (which allows all traffic inside the group and all egress).
 */
export const DefaultSecurityGroupIsClosed: Rule = ({ tenant }) =>
  forActive(tenant, 'the tenant network', () => {
    const vpcs = ofType(tenant, 'aws_vpc');
    if (vpcs.length === 0) return judge([finding('aws_vpc', '', undefined, "the tenant's VPC")], []);
    const defaults = ofType(tenant, 'aws_default_security_group');
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const vpc of vpcs) {
      const sg = defaults.find((d) => referencedAddress(d.config.vpc_id) === vpc.address);
      if (sg === undefined) {
        findings.push(finding(vpc.address, 'default security group', 'not managed (AWS default: all traffic within the group, all egress)', 'an aws_default_security_group with no rules'));
        continue;
      }
      for (const dir of ['ingress', 'egress']) {
        const rules = sg.config[dir];
        if (Array.isArray(rules) && rules.length === 0) seen.push(evidence(sg.address, dir, []));
        else findings.push(finding(sg.address, dir, rules, '[] (explicitly empty)'));
      }
    }
    return judge(findings, seen);
  });
