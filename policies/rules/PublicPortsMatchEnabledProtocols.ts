import { forActive, variableFile, withGatewayVariables } from '../gates';
import { GATEWAY_VARIABLE_NAMES as V } from '../../output/gateway-variables';
import { covers, describeOpening, fromInternet, sgRules } from '../network';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { DEFAULT_TAGS_ADDRESS } from '../view';

interface Opening {
  readonly protocol: string;
  readonly port?: number;
  readonly label: string;
}

const IKE: Opening = { protocol: 'udp', port: 500, label: 'udp/500 (IKE)' };
const NAT_T: Opening = { protocol: 'udp', port: 4500, label: 'udp/4500 (NAT-T)' };
const PPTP: Opening = { protocol: 'tcp', port: 1723, label: 'tcp/1723 (PPTP)' };
const GRE: Opening = { protocol: '47', label: 'protocol 47 (GRE)' };
const HTTPS: Opening = { protocol: 'tcp', port: 443, label: 'tcp/443 (HTTPS relay)' };

/**
 * 5.8 / CLD9.5.2 (ports closed): what the gateway opens to the internet is exactly what its
 * enabled VPN protocols need, as rendered in its configuration: nothing more, nothing missing.
 */
export const PublicPortsMatchEnabledProtocols: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () =>
    withGatewayVariables(tenant, (vars) => {
      const findings: Finding[] = [];
      const seen: Evidence[] = [];
      const flags = [
        [V.ikev2, vars.protocols.ikev2],
        [V.l2tpIpsec, vars.protocols.l2tpIpsec],
        [V.pptp, vars.protocols.pptp],
      ] as const;
      for (const [name, value] of flags) {
        if (value === undefined) findings.push(finding(variableFile(vars, name), name, undefined, 'true or false'));
        else seen.push(evidence(variableFile(vars, name), name, value));
      }
      const needed: Opening[] = [];
      if (vars.protocols.ikev2 === true || vars.protocols.l2tpIpsec === true) needed.push(IKE, NAT_T);
      if (vars.protocols.pptp === true) needed.push(PPTP, GRE);
      if (tenant.tags['ras:gateway-type'] === 'B') needed.push(HTTPS);
      if (tenant.tags['ras:gateway-type'] === 'B') seen.push(evidence(DEFAULT_TAGS_ADDRESS, 'default_tags[0].tags["ras:gateway-type"]', 'B'));
      const open = sgRules(tenant).filter((r) => r.direction === 'ingress' && fromInternet(r));
      for (const rule of open) {
        const match = needed.find((n) => rule.protocol === n.protocol && (n.port === undefined ? rule.fromPort === undefined : rule.fromPort === n.port && rule.toPort === n.port));
        if (match !== undefined) seen.push(evidence(rule.resource, rule.path || 'ip_protocol/from_port/to_port', `${describeOpening(rule)} from ${rule.cidrs.join(', ')}`));
        else findings.push(finding(rule.resource, rule.path || 'ip_protocol/from_port/to_port', `${describeOpening(rule)} from ${rule.cidrs.join(', ')}`, `only ${needed.map((n) => n.label).join(', ') || 'nothing'} from the internet`));
      }
      for (const n of needed) {
        if (!open.some((r) => covers(r, n.protocol, n.port))) findings.push(finding('aws_vpc_security_group_ingress_rule', '', 'not open', `${n.label} open for the enabled protocols`));
      }
      return judge(findings, seen);
    }),
  );
