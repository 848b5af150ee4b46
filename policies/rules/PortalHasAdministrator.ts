import { withPortal } from '../gates';
import { PORTAL_FILE } from '../../output/portal';
import { evidence, finding, judge } from '../results';
import type { Finding, Rule } from '../types';

/** 5.1: the customer's operators are registered in the portal, each once, with at least one administrator who can register and delete the others. */
export const PortalHasAdministrator: Rule = ({ tenant }) =>
  withPortal(tenant, (portal) => {
    const findings: Finding[] = [];
    const ids = portal.operators.map((o) => o.id);
    ids.filter((id, i) => ids.indexOf(id) !== i).forEach((id) => findings.push(finding(PORTAL_FILE, 'operators[].id', id, 'each operator registered once')));
    if (!portal.operators.some((o) => o.role === 'administrator')) {
      findings.push(finding(PORTAL_FILE, 'operators[].role', portal.operators.map((o) => o.role), 'at least one administrator'));
    }
    return judge(findings, portal.operators.map((o, i) => evidence(PORTAL_FILE, `operators[${i}]`, `${o.id} (${o.role})`)));
  });
