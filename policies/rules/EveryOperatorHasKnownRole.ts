import { withPortal } from '../gates';
import { PORTAL_FILE } from '../../output/portal';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';

/** The portal's privilege levels (5.2, 5.5): each grants only what the service documents describe. */
export const OPERATOR_ROLES = ['administrator', 'operator', 'viewer'];

/** 5.2 / 5.5: every operator has exactly one of the documented roles, so privileges are managed per operator. */
export const EveryOperatorHasKnownRole: Rule = ({ tenant }) =>
  withPortal(tenant, (portal) => {
    if (portal.operators.length === 0) return judge([finding(PORTAL_FILE, 'operators', [], 'at least one registered operator')], []);
    const findings = portal.operators
      .map((o, i) => ({ o, i }))
      .filter(({ o }) => !OPERATOR_ROLES.includes(o.role))
      .map(({ o, i }) => finding(PORTAL_FILE, `operators[${i}].role`, o.role, `one of ${OPERATOR_ROLES.join(', ')}`));
    return judge(findings, portal.operators.map((o, i) => evidence(PORTAL_FILE, `operators[${i}].role`, `${o.id}: ${o.role}`)));
  });
