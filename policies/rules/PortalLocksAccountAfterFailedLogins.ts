import { withPortal } from '../gates';
import { PORTAL_FILE } from '../../output/portal';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';

/** Beyond this many attempts a lock no longer slows password guessing (the contract schema's bound). */
export const MAX_LOCKOUT_THRESHOLD = 20;

/** 5.3: an account is locked after a set number of failed logins. */
export const PortalLocksAccountAfterFailedLogins: Rule = ({ tenant }) =>
  withPortal(tenant, (portal) => {
    const t = portal.lockoutThreshold;
    return Number.isInteger(t) && t >= 1 && t <= MAX_LOCKOUT_THRESHOLD
      ? judge([], [evidence(PORTAL_FILE, 'lockoutThreshold', t)])
      : judge([finding(PORTAL_FILE, 'lockoutThreshold', t, `a whole number of failed logins from 1 to ${MAX_LOCKOUT_THRESHOLD}`)], []);
  });
