import { X509Certificate } from 'node:crypto';
import { forActive, variableFile, withIpsecGatewayVariables } from '../gates';
import { DEVICE_PKI_VARIABLE } from '../../output/gateway-variables';
import { evidence, finding, judge, notApplicable } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/** A missed session must end within a day of revocation (the rendered reauth_time is 4 h). */
const MAX_REAUTH_SECONDS = 86_400;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function certificate(pem: string | undefined): X509Certificate | undefined {
  if (pem === undefined) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/**
 * 9.2.1 (registration and de-registration): device certificates can be withdrawn. The tenant's
 * gateway trusts only the tenant's own device CA (an intermediate for this tenant, issued by the
 * fleet root), loads a current CRL, and ends the sessions of revoked or suspended certificates
 * (session step on, `reauth_time` bounding any session that step missed). Judged on the rendered
 * gateway variables; a tenant without a device PKI is not applicable.
 */
export const GatewayTrustsOwnDeviceCaAndCutsRevoked: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () =>
    withIpsecGatewayVariables(tenant, (vars) => {
      const d = vars.devicePki;
      if (d === undefined) return notApplicable('the tenant has no device PKI (no device certificates issued by ras device)');
      const file = variableFile(vars, DEVICE_PKI_VARIABLE);
      const at = (field: string): string => `${DEVICE_PKI_VARIABLE}.${field}`;
      const findings: Finding[] = [];
      const seen: Evidence[] = [];

      const ca = certificate(d.tenantCa);
      const root = certificate(d.rootCa);
      const ownSubject = new RegExp(`^OU=${tenant.stackId.replace(/[-]/g, '\\-')}$`, 'm');
      if (ca === undefined || root === undefined) {
        findings.push(finding(file, at(ca === undefined ? 'tenant_ca' : 'root_ca'), '(not a certificate)', 'the tenant device CA and the fleet root, PEM'));
      } else if (!ca.ca || !ownSubject.test(ca.subject)) {
        findings.push(finding(file, at('tenant_ca'), ca.subject.replace(/\n/g, ', '), `a CA certificate of this tenant (OU=${tenant.stackId})`));
      } else if (!root.checkIssued(root) || !ca.checkIssued(root) || !ca.verify(root.publicKey)) {
        findings.push(finding(file, at('tenant_ca'), `issued by ${ca.issuer.replace(/\n/g, ', ')}`, 'signed by the fleet root rendered with it (self-signed)'));
      } else {
        seen.push(evidence(file, at('tenant_ca'), `trusted for certificate logins: ${ca.subject.replace(/\n/g, ', ')} (issued by ${root.subject.replace(/\n/g, ', ')}), valid until ${new Date(ca.validTo).toISOString()}`));
      }

      const nextUpdate = d.crlNextUpdate === undefined ? NaN : Date.parse(d.crlNextUpdate);
      if (d.crl === undefined || !d.crl.includes('-----BEGIN X509 CRL-----')) findings.push(finding(file, at('crl'), d.crl === undefined ? undefined : '(not a PEM CRL)', 'the tenant CRL, PEM'));
      else if (d.crlNumber === undefined || d.crlNumber < 1) findings.push(finding(file, at('crl_number'), d.crlNumber, 'a CRL number (strongSwan ignores CRLs without one)'));
      else if (!(nextUpdate > Date.now())) findings.push(finding(file, at('crl_next_update'), d.crlNextUpdate, 'a next update in the future: re-sign with ras device crl and re-render'));
      else seen.push(evidence(file, at('crl_next_update'), `CRL number ${d.crlNumber}, next update ${d.crlNextUpdate}`));

      const reauth = /^([0-9]{1,6})([smhd])$/.exec(d.reauthTime ?? '');
      const reauthSeconds = reauth === null ? NaN : Number(reauth[1]) * UNIT_SECONDS[reauth[2]];
      if (d.terminateBlockedSessions !== true) findings.push(finding(file, at('terminate_blocked_sessions'), d.terminateBlockedSessions, 'true: sessions of revoked and suspended certificates are ended'));
      else if (!(reauthSeconds > 0 && reauthSeconds <= MAX_REAUTH_SECONDS)) findings.push(finding(file, at('reauth_time'), d.reauthTime, `a re-authentication interval of at most ${MAX_REAUTH_SECONDS / 3600} h`));
      else if (d.blocked === undefined) findings.push(finding(file, at('blocked'), undefined, 'the list of revoked and suspended serials'));
      else seen.push(evidence(file, at('blocked'), `${d.blocked.length} revoked or suspended certificates ended by serial; reauth_time ${d.reauthTime}`));

      if (d.devices === undefined || d.revoked === undefined || d.suspended === undefined) findings.push(finding(file, at('devices'), d.devices, 'device, suspended and revoked counts'));
      else seen.push(evidence(file, at('devices'), `${d.devices} devices: ${d.active ?? 0} active, ${d.suspended} suspended, ${d.revoked} revoked`));
      return judge(findings, seen);
    }),
  );
