import { LEGACY_CRYPTO_PROFILE } from '../../commitments';
import { CRYPTO_PROFILES, legacyTokens, proposalOrderProblems } from '../crypto';
import { forActive, variableFile, withIpsecGatewayVariables } from '../gates';
import { GATEWAY_VARIABLE_NAMES as V } from '../../output/gateway-variables';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, RecordedException, Rule } from '../types';

/**
 * 6.1 / 10.1.1: the gateway's enabled protocols and proposals stay within the contract's crypto
 * profile. Legacy cryptography (3DES, MODP-1024, PPTP) is used only under a recorded opt-in;
 * then the rule is compliant by that recorded exception (who approved it, when, why), never
 * plainly compliant: the opt-in is the customer's written, conscious exception, and an opt-in
 * flag without its record is a finding. Proposal order is part of the profile: in every profile, opt-in
 * or not, each list must run strongest first with no legacy algorithm beside a stronger one of
 * its kind, so that legacy algorithms are negotiated only with clients that offer nothing better.
 */
/** Where the rendered variables keep the contract's record of the opt-in. */
const OPT_IN_RECORD = 'ras_tenant.legacy_crypto_opt_in';

export const GatewayCryptoWithinProfile: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () =>
    withIpsecGatewayVariables(tenant, (vars) => {
      const findings: Finding[] = [];
      const seen: Evidence[] = [];
      const notes: string[] = [];
      const profile = vars.cryptoProfile;
      const optIn = vars.legacyOptIn;
      if (profile === undefined || !(CRYPTO_PROFILES as readonly string[]).includes(profile)) findings.push(finding(variableFile(vars, V.cryptoProfile), V.cryptoProfile, profile, `one of ${CRYPTO_PROFILES.join(', ')}`));
      else seen.push(evidence(variableFile(vars, V.cryptoProfile), V.cryptoProfile, profile));
      if (optIn === undefined) findings.push(finding(variableFile(vars, V.legacyOptIn), V.legacyOptIn, undefined, 'true or false'));
      else seen.push(evidence(variableFile(vars, V.legacyOptIn), V.legacyOptIn, optIn));
      const legacyUses: { file: string; path: string; what: string }[] = [];
      if (profile === LEGACY_CRYPTO_PROFILE) legacyUses.push({ file: variableFile(vars, V.cryptoProfile), path: V.cryptoProfile, what: 'legacy profile' });
      if (vars.protocols.pptp === true) legacyUses.push({ file: variableFile(vars, V.pptp), path: V.pptp, what: 'PPTP (MPPE 128)' });
      (vars.proposals ?? []).forEach((p) => {
        const weak = legacyTokens(p);
        if (weak.length > 0) legacyUses.push({ file: variableFile(vars, V.profiles), path: `${V.profiles}.${profile ?? '?'}`, what: `${p} (${weak.join(', ')})` });
      });
      for (const [list, items] of Object.entries(vars.proposalLists ?? {})) {
        for (const problem of proposalOrderProblems(items)) findings.push(finding(variableFile(vars, V.profiles), `${V.profiles}.${profile ?? '?'}.${list}`, problem, 'strongest proposals first; legacy algorithms only in proposals of their own, after every stronger one'));
      }
      let exception: RecordedException | undefined;
      if (optIn === true) {
        const record = vars.legacyOptInRecord;
        if (legacyUses.length > 0 && record === undefined) findings.push(finding(variableFile(vars, V.legacyOptIn), OPT_IN_RECORD, undefined, 'the opt-in\'s approver and reason from the contract'));
        else if (legacyUses.length > 0 && record !== undefined) {
          exception = { covers: [...new Set(legacyUses.map((u) => u.what))].join('; '), approvedBy: record.approvedBy, approvedOn: record.approvedOn, reason: record.reason, source: record.file };
          // The record's texts are the contract's; the exception (not this evidence line) quotes them.
          seen.push(evidence(record.file, OPT_IN_RECORD, Object.entries({ approved_by: record.approvedBy, approved_on: record.approvedOn, reason: record.reason }).filter(([, v]) => v !== undefined).map(([k]) => k).join(', ')));
        }
      } else {
        for (const u of legacyUses) findings.push(finding(u.file, u.path, u.what, `no legacy cryptography without a recorded opt-in (${V.legacyOptIn}: true)`));
      }
      if (vars.proposals === undefined) notes.push(`proposals are the gateway configuration's defaults for profile ${profile ?? '?'} (not rendered per tenant)`);
      else seen.push(evidence(variableFile(vars, V.profiles), `${V.profiles}.${profile ?? '?'}`, vars.proposals.join(', ')));
      const result = judge(findings, seen, notes);
      return result.status === 'compliant' && exception !== undefined ? { ...result, exception } : result;
    }),
  );
