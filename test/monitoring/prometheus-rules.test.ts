/**
 * The fleet's Prometheus configuration as `ras synth` writes it, judged by Prometheus's own
 * promtool (Debian package `prometheus`): `check config`, `check rules`, and `test rules` with, for
 * every alert, series that must fire and series that must not.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFleetMonitoring } from '../../monitoring/write';
import { gatewayRules, THRESHOLDS } from '../../monitoring/gateway-rules';
import { deviceCertificateRules } from '../../monitoring/device-rules';
import { isAlert, type AlertRule } from '../../monitoring/rule-file';
import { synthTenants } from '../../stacks/synth';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
let dir: string;
beforeAll(() => {
  ws = new Workspace();
  const out = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir: out, fleetOutputs: (d) => void writeFleetMonitoring(d) });
  dir = join(out, 'monitoring');
});
afterAll(() => ws.remove());

function promtool(args: string[]): string {
  // A missing promtool fails the test (scripts/debian-packages.txt installs `prometheus`).
  return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('promtool accepts the configuration and both rule files', () => {
  expect(promtool(['check', 'config', 'prometheus.yml'])).toContain('SUCCESS');
  const rules = readdirSync(join(dir, 'rules')).sort();
  expect(rules).toEqual(['ras-device-certificates.yml', 'ras-gateways.yml']);
  const out = promtool(['check', 'rules', ...rules.map((r) => join('rules', r))]);
  expect(out.match(/SUCCESS/g)).toHaveLength(2);
});

// Labels the scrape job gives every series of two gateways: `a` (small, 250 terminals) and
// `b` (medium, 1,000 terminals). Each alert gets series on both; only `a`'s must fire.
const A = { job: 'ras-gateways', instance: '10.64.0.10:9100', tenant: 'a', size_class: 'small' };
const B = { job: 'ras-gateways', instance: '10.64.1.10:9100', tenant: 'b', size_class: 'medium' };
/** A third gateway whose collector cannot read the log streams' configuration. */
const C = { job: 'ras-gateways', instance: '10.64.2.10:9100', tenant: 'c', size_class: 'small' };
type Labels = Record<string, string>;
const sel = (name: string, labels: Labels): string => `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

const gateway = new Map<string, AlertRule>(gatewayRules().flatMap((g) => g.rules.filter(isAlert)).map((r) => [r.alert, r]));
const device = new Map<string, AlertRule>(deviceCertificateRules().rules.filter(isAlert).map((r) => [r.alert, r]));

/** The annotations Prometheus renders for an alert with these labels and value. */
function annotations(rule: AlertRule, labels: Labels, value?: string): Record<string, string> {
  const render = (t: string) => t.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, k: string) => labels[k] ?? '').replace(/\{\{ \$value \}\}/g, value ?? '');
  return Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, render(v as string)]));
}

function expected(rules: Map<string, AlertRule>, alert: string, labels: Labels, value?: string) {
  const rule = rules.get(alert)!;
  return { exp_labels: { ...labels, severity: rule.labels.severity }, exp_annotations: annotations(rule, labels, value) };
}

const fs = (labels: Labels, mountpoint: string, fstype: string) => ({ ...labels, device: `/dev/${fstype}0`, fstype, mountpoint });
const byGateway = (l: Labels) => ({ job: l.job, instance: l.instance, tenant: l.tenant, size_class: l.size_class });

// One sample a minute for 40 minutes; alerts are judged at 30 min (all `for` periods passed) and
// at 1 min (the rules with a `for` must not have fired yet).
const series: [string, string][] = [
  [sel('up', A), '1x10 0x30'],
  [sel('up', B), '1x40'],
  // CPU: `a` idle 6 s of every 60 (90 % busy), `b` idle 54 s of 60.
  [sel('node_cpu_seconds_total', { ...A, cpu: '0', mode: 'idle' }), '0+6x40'],
  [sel('node_cpu_seconds_total', { ...B, cpu: '0', mode: 'idle' }), '0+54x40'],
  [sel('node_memory_MemTotal_bytes', A), '4000000000x40'],
  [sel('node_memory_MemAvailable_bytes', A), '200000000x40'],
  [sel('node_memory_MemTotal_bytes', B), '4000000000x40'],
  [sel('node_memory_MemAvailable_bytes', B), '2000000000x40'],
  // Disk: `a`'s root 10 % free fires; `a`'s tmpfs /tmp 1 % free is not a disk; `b`'s root 50 %.
  [sel('node_filesystem_size_bytes', fs(A, '/', 'ext4')), '1000x40'],
  [sel('node_filesystem_avail_bytes', fs(A, '/', 'ext4')), '100x40'],
  [sel('node_filesystem_size_bytes', fs(A, '/tmp', 'tmpfs')), '1000x40'],
  [sel('node_filesystem_avail_bytes', fs(A, '/tmp', 'tmpfs')), '10x40'],
  [sel('node_filesystem_size_bytes', fs(B, '/', 'ext4')), '1000x40'],
  [sel('node_filesystem_avail_bytes', fs(B, '/', 'ext4')), '500x40'],
  // Tunnels: 210 established is 84 % of small (fires) and 21 % of medium (does not); 500
  // half-open IKE_SAs are not tunnels.
  [sel('ras_strongswan_ike_sas', { ...A, state: 'established' }), '210x40'],
  [sel('ras_strongswan_ike_sas', { ...A, state: 'connecting' }), '500x40'],
  [sel('ras_strongswan_ike_sas', { ...B, state: 'established' }), '210x40'],
  [sel('ras_strongswan_up', A), '0x40'],
  [sel('ras_strongswan_up', B), '1x40'],
  // IKE: `a` refuses 3 a minute and accepts 1 (75 % refused); `b` refuses 3 and accepts 10 (23 %).
  [sel('ras_ike_attempts_total', { ...A, outcome: 'refused', reason: 'wrong-ca' }), '0+3x40'],
  [sel('ras_ike_attempts_total', { ...A, outcome: 'success', reason: '-' }), '0+1x40'],
  [sel('ras_ike_attempts_total', { ...B, outcome: 'refused', reason: 'auth-failed' }), '0+3x40'],
  [sel('ras_ike_attempts_total', { ...B, outcome: 'success', reason: '-' }), '0+10x40'],
  [sel('ras_chrony_offset_seconds', A), '0.5x40'],
  [sel('ras_chrony_offset_seconds', B), '-0.02x40'],
  [sel('ras_chrony_synchronized', A), '0x40'],
  [sel('ras_chrony_synchronized', B), '1x40'],
  [sel('ras_logs_unshipped_oldest_age_seconds', A), '14400x40'],
  [sel('ras_logs_unshipped_oldest_age_seconds', B), '600x40'],
  [sel('ras_logs_config_readable', A), '1x40'],
  [sel('ras_logs_config_readable', B), '1x40'],
  [sel('ras_logs_config_readable', C), '0x40'],
  // Textfiles: `a`'s strongSwan figures stopped at t=0; `b`'s are rewritten every minute, and
  // its IKE counter file (written only when an attempt happens) may be old.
  [sel('node_textfile_mtime_seconds', { ...A, file: '/var/lib/prometheus/node-exporter/ras_strongswan.prom' }), '0x40'],
  [sel('node_textfile_mtime_seconds', { ...B, file: '/var/lib/prometheus/node-exporter/ras_strongswan.prom' }), '0+60x40'],
  [sel('node_textfile_mtime_seconds', { ...B, file: '/var/lib/prometheus/node-exporter/ras_gateway.prom' }), '0+60x40'],
  [sel('node_textfile_mtime_seconds', { ...B, file: '/var/lib/prometheus/node-exporter/ras_ike_attempts.prom' }), '0x40'],
  [sel('node_textfile_scrape_error', A), '0x40'],
  [sel('node_textfile_scrape_error', B), '0x40'],
];

/** Each gateway alert: the labels and value it fires with for `a` at 30 min (and for `c`, where said). */
const firing: Record<string, { labels: Labels; value?: string; also?: Labels }> = {
  RasGatewayDown: { labels: A },
  RasGatewayCpuBusy: { labels: byGateway(A) },
  RasGatewayMemoryLow: { labels: A },
  RasGatewayDiskFull: { labels: fs(A, '/', 'ext4') },
  RasGatewayTunnelsNearCapacity: { labels: { ...A, state: 'established' }, value: '210' },
  RasStrongswanDown: { labels: A },
  RasIkeFailures: { labels: byGateway(A), value: '45' },
  RasClockOffset: { labels: A, value: '0.5' },
  RasClockUnsynchronised: { labels: A },
  RasLogShippingStalled: { labels: A, also: C },
  RasGatewayFiguresStale: { labels: { ...A, file: '/var/lib/prometheus/node-exporter/ras_strongswan.prom' } },
};

test('every gateway alert is tested', () => {
  expect(Object.keys(firing).sort()).toEqual([...gateway.keys()].sort());
  // The capacity threshold is the size class's, from lib/sizing.ts: 210 lies between 80 % of small and of medium.
  expect(THRESHOLDS.tunnelShare * 250).toBeLessThan(210);
  expect(THRESHOLDS.tunnelShare * 1000).toBeGreaterThan(210);
});

test('promtool test rules: each gateway alert fires for the gateway in trouble and not for the healthy one', () => {
  const alertTests = Object.entries(firing).flatMap(([alert, f]) => [
    { eval_time: '30m', alertname: alert, exp_alerts: [f.labels, ...(f.also ? [f.also] : [])].map((l) => expected(gateway, alert, l, f.value)) },
    // Rules with a hold time have not fired 1 minute in; the others (no `for`) are checked at 30m only.
    ...(gateway.get(alert)!.for !== undefined ? [{ eval_time: '1m', alertname: alert, exp_alerts: [] }] : []),
  ]);
  const file = {
    rule_files: ['rules/ras-gateways.yml'],
    evaluation_interval: '1m',
    tests: [{ interval: '1m', input_series: series.map(([s, values]) => ({ series: s, values })), alert_rule_test: alertTests }],
  };
  writeFileSync(join(dir, 'gateways.test.yml'), JSON.stringify(file, null, 1));
  expect(promtool(['test', 'rules', 'gateways.test.yml'])).toContain('SUCCESS');
});

test('promtool test rules: the device-certificate alerts (folded in from ras device) fire and stay silent as they should', () => {
  const dev = { tenant: 't', device: 'd', identity: 'i', serial: '01' };
  const file = {
    rule_files: ['rules/ras-device-certificates.yml'],
    evaluation_interval: '1h',
    tests: [
      {
        interval: '1h',
        input_series: [
          // Expires 40 days from t=0: silent at 1 day, warning from day 10 + 1 h, expired after day 40.
          { series: sel('ras_device_certificate_expiry_timestamp_seconds', { ...dev, status: 'active' }), values: `${40 * 86400}x1200` },
          // A suspended certificate is not warned about.
          { series: sel('ras_device_certificate_expiry_timestamp_seconds', { ...dev, device: 'e', serial: '02', status: 'suspended' }), values: `${20 * 86400}x1200` },
          { series: sel('ras_device_crl_next_update_timestamp_seconds', { tenant: 't' }), values: `${7 * 86400}x1200` },
        ],
        alert_rule_test: [
          { eval_time: '1d', alertname: 'RasDeviceCertificateExpiring', exp_alerts: [] },
          { eval_time: '20d', alertname: 'RasDeviceCertificateExpiring', exp_alerts: [expected(device, 'RasDeviceCertificateExpiring', { ...dev, status: 'active' })] },
          { eval_time: '20d', alertname: 'RasDeviceCertificateExpired', exp_alerts: [] },
          { eval_time: '41d', alertname: 'RasDeviceCertificateExpired', exp_alerts: [expected(device, 'RasDeviceCertificateExpired', { ...dev, status: 'active' })] },
          { eval_time: '1d', alertname: 'RasDeviceCrlStale', exp_alerts: [] },
          { eval_time: '6d', alertname: 'RasDeviceCrlStale', exp_alerts: [expected(device, 'RasDeviceCrlStale', { tenant: 't' })] },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'devices.test.yml'), JSON.stringify(file, null, 1));
  expect(promtool(['test', 'rules', 'devices.test.yml'])).toContain('SUCCESS');
});

test('a rule file that lets a healthy gateway fire is caught (the test above can fail)', () => {
  const broken = readFileSync(join(dir, 'rules', 'ras-gateways.yml'), 'utf8').replace(`> ${THRESHOLDS.cpuBusy}`, '> 0.05');
  writeFileSync(join(dir, 'broken.yml'), broken);
  const file = {
    rule_files: ['broken.yml'],
    evaluation_interval: '1m',
    tests: [{ interval: '1m', input_series: series.map(([s, values]) => ({ series: s, values })), alert_rule_test: [{ eval_time: '30m', alertname: 'RasGatewayCpuBusy', exp_alerts: [expected(gateway, 'RasGatewayCpuBusy', byGateway(A))] }] }],
  };
  writeFileSync(join(dir, 'broken.test.yml'), JSON.stringify(file));
  expect(() => promtool(['test', 'rules', 'broken.test.yml'])).toThrow();
});
