import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { isReference, ofType, referencedAddress } from '../view';

/** Resources that must live in the tenant's own VPC. */
const IN_VPC = ['aws_subnet', 'aws_security_group', 'aws_route_table', 'aws_internet_gateway', 'aws_default_security_group', 'aws_ec2_transit_gateway_vpc_attachment', 'aws_flow_log'];

/** 5.7 / CLD9.5.1: the tenant runs in a VPC of its own, and everything network-bound is placed in it. */
export const TenantHasOwnVpc: Rule = ({ tenant }) =>
  forActive(tenant, 'the tenant network', () => {
    const vpcs = ofType(tenant, 'aws_vpc');
    if (vpcs.length !== 1) return judge([finding('aws_vpc', '', `${vpcs.length} VPCs`, 'exactly one VPC of its own')], []);
    const vpc = vpcs[0];
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    if (typeof vpc.config.cidr_block === 'string' && !isReference(vpc.config.cidr_block)) seen.push(evidence(vpc.address, 'cidr_block', vpc.config.cidr_block));
    else findings.push(finding(vpc.address, 'cidr_block', vpc.config.cidr_block, 'a literal address range'));
    for (const r of tenant.resources.filter((x) => IN_VPC.includes(x.type))) {
      const v = r.config.vpc_id;
      if (referencedAddress(v) === vpc.address) seen.push(evidence(r.address, 'vpc_id', v));
      else findings.push(finding(r.address, 'vpc_id', v, `the tenant's own VPC (${vpc.address})`));
    }
    return judge(findings, seen);
  });
