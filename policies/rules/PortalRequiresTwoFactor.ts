import { withPortal } from '../gates';
import { PORTAL_FILE } from '../../output/portal';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';

/** 5.3: administrator sign-in to the portal needs a second factor besides ID and password. */
export const PortalRequiresTwoFactor: Rule = ({ tenant }) =>
  withPortal(tenant, (portal) =>
    portal.twoFactorRequired === true
      ? judge([], [evidence(PORTAL_FILE, 'twoFactorRequired', true)])
      : judge([finding(PORTAL_FILE, 'twoFactorRequired', portal.twoFactorRequired, 'true')], []),
  );
