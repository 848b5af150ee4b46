import { CRYPTO_PROFILES, unlistedCiphers } from '../crypto';
import { forActive, variableFile, withIpsecGatewayVariables } from '../gates';
import { GATEWAY_VARIABLE_NAMES as V } from '../../output/gateway-variables';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/**
 * 13.4 / 18.1.5: the VPN uses only the ciphers the whitepaper lists (AES, Triple-DES; MPPE for
 * PPTP), none subject to export control. Unknown profiles fail: their ciphers cannot be told.
 */
export const GatewayCiphersAreWhitepaperListed: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () =>
    withIpsecGatewayVariables(tenant, (vars) => {
      const findings: Finding[] = [];
      const seen: Evidence[] = [];
      const profile = vars.cryptoProfile;
      if (profile === undefined || !(CRYPTO_PROFILES as readonly string[]).includes(profile)) {
        findings.push(finding(variableFile(vars, V.cryptoProfile), V.cryptoProfile, profile, `a known profile (${CRYPTO_PROFILES.join(', ')})`));
      } else {
        seen.push(evidence(variableFile(vars, V.cryptoProfile), V.cryptoProfile, profile));
      }
      for (const p of vars.proposals ?? []) {
        const bad = unlistedCiphers(p);
        if (bad.length > 0) findings.push(finding(variableFile(vars, V.profiles), `${V.profiles}.${profile ?? '?'}`, p, 'only AES (128/192/256) or Triple-DES encryption'));
        else seen.push(evidence(variableFile(vars, V.profiles), `${V.profiles}.${profile ?? '?'}`, p));
      }
      return judge(findings, seen);
    }),
  );
