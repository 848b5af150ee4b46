/**
 * Expiry watch: node_exporter textfile metrics (one gauge per device certificate, plus the CRL's
 * nextUpdate) and the Prometheus alert rules that fire before either runs out.
 */
import { DEVICE_EXPIRY_WARNING_DAYS, deviceCertificateRules } from '../monitoring/device-rules';
import { DEVICE } from '../monitoring/metrics';
import { renderRuleFile } from '../monitoring/rule-file';
import type { Ledger } from './ledger';
import { promLabel } from './names';

export const EXPIRY_METRIC = DEVICE.certificateExpiry;
export const CRL_METRIC = DEVICE.crlNextUpdate;

/** The .prom text for a textfile collector (`node_exporter --collector.textfile.directory`). */
export function renderMetrics(ledgers: readonly Ledger[]): string {
  const lines = [
    `# HELP ${EXPIRY_METRIC} notAfter of each device's current certificate (not revoked), Unix time.`,
    `# TYPE ${EXPIRY_METRIC} gauge`,
  ];
  for (const l of ledgers) {
    for (const [device, d] of Object.entries(l.devices).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const c = d.certs[d.certs.length - 1];
      if (c.status === 'revoked') continue;
      const labels = `tenant="${promLabel(l.tenant)}",device="${promLabel(device)}",identity="${promLabel(d.identity)}",serial="${promLabel(c.serial)}",status="${c.status}"`;
      lines.push(`${EXPIRY_METRIC}{${labels}} ${Math.floor(Date.parse(c.notAfter) / 1000)}`);
    }
  }
  lines.push(`# HELP ${CRL_METRIC} nextUpdate of the tenant's device CRL, Unix time.`, `# TYPE ${CRL_METRIC} gauge`);
  for (const l of ledgers) if (l.crl !== undefined) lines.push(`${CRL_METRIC}{tenant="${promLabel(l.tenant)}"} ${Math.floor(Date.parse(l.crl.nextUpdate) / 1000)}`);
  return `${lines.join('\n')}\n`;
}

/** Prometheus rule file: a device certificate expiring within `days`, or a CRL about to go stale (the group the fleet's rules include). */
export function renderAlertRules(days = DEVICE_EXPIRY_WARNING_DAYS): string {
  return renderRuleFile([deviceCertificateRules(days)]);
}
