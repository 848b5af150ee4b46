import { withPortal } from '../gates';
import { PORTAL_FILE } from '../../output/portal';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';

/** 8.1: affected customers are told of changes at their registered operators' e-mail addresses, so at least one must be registered. */
export const OperatorsReachableForChangeNotices: Rule = ({ tenant }) =>
  withPortal(tenant, (portal) => {
    const reachable = portal.operators.filter((o) => o.emailRegistered);
    if (reachable.length === 0) return judge([finding(PORTAL_FILE, 'operators[].emailRegistered', false, 'at least one operator with a registered e-mail address')], []);
    return judge([], reachable.map((o) => evidence(PORTAL_FILE, `operators[${portal.operators.indexOf(o)}].emailRegistered`, `${o.id}: true`)));
  });
