import { TIMEZONE } from '../../commitments';
import { forActive, variableFile, withGatewayVariables } from '../gates';
import { GATEWAY_VARIABLE_NAMES as V } from '../../output/gateway-variables';
import { covers, sgRules } from '../network';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/**
 * 8.6 / 12.4.4: the gateway keeps Japan Standard Time: its configuration sets the Asia/Tokyo
 * zone and NTP servers, and its security group lets NTP (udp/123) out to reach them.
 */
export const GatewayClockFollowsJst: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () =>
    withGatewayVariables(tenant, (vars) => {
      const findings: Finding[] = [];
      const seen: Evidence[] = [];
      if (vars.timezone === TIMEZONE) seen.push(evidence(variableFile(vars, V.timezone), V.timezone, vars.timezone));
      else findings.push(finding(variableFile(vars, V.timezone), V.timezone, vars.timezone, TIMEZONE));
      if (vars.ntpServers !== undefined && vars.ntpServers.length > 0) seen.push(evidence(variableFile(vars, V.ntpServers), V.ntpServers, vars.ntpServers.join(', ')));
      else findings.push(finding(variableFile(vars, V.ntpServers), V.ntpServers, vars.ntpServers, 'at least one NTP server'));
      const ntp = sgRules(tenant).find((r) => r.direction === 'egress' && covers(r, 'udp', 123));
      if (ntp !== undefined) seen.push(evidence(ntp.resource, ntp.path || 'ip_protocol/from_port/to_port', `udp/123 to ${ntp.cidrs.join(', ')}`));
      else findings.push(finding('aws_vpc_security_group_egress_rule', '', 'no NTP egress', 'udp/123 egress from the gateway'));
      return judge(findings, seen);
    }),
  );
