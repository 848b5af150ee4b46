import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { ofType, referencedAddress } from '../view';

/** 8.9 / CLD12.4.5: the provider monitors traffic: all of every tenant VPC's traffic is flow-logged. */
export const VpcTrafficIsFlowLogged: Rule = ({ tenant }) =>
  forActive(tenant, 'the tenant network', () => {
    const vpcs = ofType(tenant, 'aws_vpc');
    if (vpcs.length === 0) return judge([finding('aws_vpc', '', undefined, "the tenant's VPC")], []);
    const logs = ofType(tenant, 'aws_flow_log');
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const vpc of vpcs) {
      const log = logs.find((l) => referencedAddress(l.config.vpc_id) === vpc.address);
      if (log === undefined) findings.push(finding(vpc.address, 'flow log', undefined, 'an aws_flow_log of ALL traffic'));
      else if (log.config.traffic_type !== 'ALL') findings.push(finding(log.address, 'traffic_type', log.config.traffic_type, 'ALL'));
      else if (typeof log.config.log_destination !== 'string') findings.push(finding(log.address, 'log_destination', log.config.log_destination, 'a destination'));
      else seen.push(evidence(log.address, 'traffic_type → log_destination', `ALL → ${log.config.log_destination}`));
    }
    return judge(findings, seen);
  });
