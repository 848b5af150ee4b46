import { isCidr, parseCidr } from '../../lib/cidr';
import { withPortal } from '../gates';
import { PORTAL_FILE } from '../../output/portal';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/** 5.3: portal sign-in is allowed only from the customer's listed source networks, never from anywhere. */
export const PortalRestrictsSourceAddresses: Rule = ({ tenant }) =>
  withPortal(tenant, (portal) => {
    const cidrs = portal.allowedSourceCidrs;
    if (cidrs.length === 0) return judge([finding(PORTAL_FILE, 'allowedSourceCidrs', [], 'at least one source network')], []);
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    cidrs.forEach((c, i) => {
      const parsed = parseCidr(c);
      if (!isCidr(parsed)) findings.push(finding(PORTAL_FILE, `allowedSourceCidrs[${i}]`, c, 'an IPv4 network a.b.c.d/n'));
      else if (parsed.prefix === 0) findings.push(finding(PORTAL_FILE, `allowedSourceCidrs[${i}]`, c, 'a restricted network, not the whole internet'));
      else seen.push(evidence(PORTAL_FILE, `allowedSourceCidrs[${i}]`, c));
    });
    return judge(findings, seen);
  });
