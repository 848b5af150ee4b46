/**
 * Device certificates and their CRL running out (`ras device metrics`, issue 16). One definition:
 * `ras device alert-rules` prints this group and the fleet's rule files include it.
 */
import { DEVICE } from './metrics';
import type { RuleGroup } from './rule-file';

/** Warn this many days before a device certificate expires. */
export const DEVICE_EXPIRY_WARNING_DAYS = 30;
/** The CRL is re-signed daily with 7 days' validity: fewer than 2 left means re-signing stopped. */
export const CRL_MIN_DAYS_LEFT = 2;

export function deviceCertificateRules(days = DEVICE_EXPIRY_WARNING_DAYS): RuleGroup {
  return {
    name: 'ras-device-certificates',
    rules: [
      {
        alert: 'RasDeviceCertificateExpiring',
        expr: `${DEVICE.certificateExpiry}{status="active"} - time() < ${days} * 86400`,
        for: '1h',
        labels: { severity: 'warning' },
        annotations: {
          summary: `Device certificate of {{ $labels.identity }} ({{ $labels.device }}, tenant {{ $labels.tenant }}) expires within ${days} days`,
          description: 'Reissue it: ras device reissue --tenant {{ $labels.tenant }} --device {{ $labels.device }}',
        },
      },
      {
        alert: 'RasDeviceCertificateExpired',
        expr: `${DEVICE.certificateExpiry}{status="active"} - time() < 0`,
        labels: { severity: 'critical' },
        annotations: { summary: 'Device certificate of {{ $labels.identity }} ({{ $labels.device }}, tenant {{ $labels.tenant }}) has expired' },
      },
      {
        alert: 'RasDeviceCrlStale',
        expr: `${DEVICE.crlNextUpdate} - time() < ${CRL_MIN_DAYS_LEFT} * 86400`,
        for: '1h',
        labels: { severity: 'critical' },
        annotations: {
          summary: `The device CRL of tenant {{ $labels.tenant }} runs out within ${CRL_MIN_DAYS_LEFT} days: run ras device crl --tenant {{ $labels.tenant }}`,
        },
      },
    ],
  };
}
