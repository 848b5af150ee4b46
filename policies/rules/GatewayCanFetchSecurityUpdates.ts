import { forActive } from '../gates';
import { covers, sgRules } from '../network';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';

/** 8.7 / 12.6.1: the gateway can reach security updates (HTTPS out), so fixes are applied promptly. */
export const GatewayCanFetchSecurityUpdates: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const https = sgRules(tenant).find((r) => r.direction === 'egress' && covers(r, 'tcp', 443));
    return https !== undefined
      ? judge([], [evidence(https.resource, https.path || 'ip_protocol/from_port/to_port', `tcp/443 to ${https.cidrs.join(', ')}`)])
      : judge([finding('aws_vpc_security_group_egress_rule', '', 'no HTTPS egress', 'tcp/443 egress for security updates')], []);
  });
