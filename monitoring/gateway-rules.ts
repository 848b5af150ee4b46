/**
 * Alert rules for the fleet's gateways (CLD12.4.5: the provider watches capacity and health).
 * Every expression reads a metric of monitoring/metrics.ts, which the gateway really exports;
 * the scrape job labels every series with the tenant and the gateway's size class
 * (monitoring/prometheus-config.ts), which the capacity alert joins on.
 */
import { SIZE_CLASSES, type SizeClass } from '../lib/sizing';
import { GATEWAY, IKE_ATTEMPTS, NODE, STRONGSWAN, TIMED_TEXTFILES } from './metrics';
import type { RuleGroup } from './rule-file';

export const GATEWAY_JOB = 'ras-gateways';
/** Recording rule: each size class's tunnel capacity, from lib/sizing.ts (one series per class). */
export const CAPACITY_RECORD = 'ras:size_class_tunnel_capacity';

/**
 * Thresholds, with why. Fractions are of the whole (0.85 = 85 %).
 * - tunnels: warn at 80 % of the class's terminals, time to resize before clients are refused;
 * - CPU 85 % for 15 min: IPsec is CPU-bound, sustained saturation adds latency for every tunnel;
 * - memory below 10 % available, disk below 15 % free (logs are kept locally until shipped);
 * - IKE refusals: 20 or more in 15 min and more than half of all attempts (a broken CA, CRL or
 *   proposal change refuses everyone; a few mistyped passwords do not page anyone);
 * - clock: more than 100 ms from the JST servers (log timestamps are evidence, 12.4.4), or no
 *   synchronised source for 15 min;
 * - log shipping: a rotated file waiting more than 3 h (shipping runs hourly, so three runs missed).
 */
export const THRESHOLDS = {
  tunnelShare: 0.8,
  cpuBusy: 0.85,
  memoryAvailable: 0.1,
  diskFree: 0.15,
  ikeRefusals: 20,
  ikeRefusedShare: 0.5,
  clockOffsetSeconds: 0.1,
  unshippedAgeSeconds: 3 * 3600,
  textfileStaleSeconds: 300,
} as const;

const BY = 'by (job, instance, tenant, size_class)';
const job = `job="${GATEWAY_JOB}"`;

export function gatewayRules(classes: readonly SizeClass[] = SIZE_CLASSES): RuleGroup[] {
  const t = THRESHOLDS;
  const refused = `sum ${BY} (increase(${IKE_ATTEMPTS}{${job},outcome="refused"}[15m]))`;
  const attempts = `sum ${BY} (increase(${IKE_ATTEMPTS}{${job}}[15m]))`;
  const textfiles = TIMED_TEXTFILES.map((f) => f.replace(/\./g, '\\\\.')).join('|');
  return [
    {
      name: 'ras-gateway-capacity',
      rules: classes.map((c) => ({ record: CAPACITY_RECORD, expr: `vector(${c.maxTerminals})`, labels: { size_class: c.name } })),
    },
    {
      name: 'ras-gateways',
      rules: [
        {
          alert: 'RasGatewayDown',
          expr: `${NODE.up}{${job}} == 0`,
          for: '3m',
          labels: { severity: 'critical' },
          annotations: { summary: 'Gateway of tenant {{ $labels.tenant }} ({{ $labels.instance }}) does not answer scrapes' },
        },
        {
          alert: 'RasGatewayCpuBusy',
          expr: `1 - avg ${BY} (rate(${NODE.cpuSeconds}{${job},mode="idle"}[5m])) > ${t.cpuBusy}`,
          for: '15m',
          labels: { severity: 'warning' },
          annotations: { summary: `Gateway of tenant {{ $labels.tenant }} is more than ${pct(t.cpuBusy)} busy` },
        },
        {
          alert: 'RasGatewayMemoryLow',
          expr: `${NODE.memAvailable}{${job}} / ${NODE.memTotal}{${job}} < ${t.memoryAvailable}`,
          for: '10m',
          labels: { severity: 'critical' },
          annotations: { summary: `Gateway of tenant {{ $labels.tenant }} has less than ${pct(t.memoryAvailable)} of its memory available` },
        },
        {
          alert: 'RasGatewayDiskFull',
          expr: `${NODE.fsAvail}{${job},fstype!~"tmpfs|ramfs|devtmpfs|squashfs|overlay"} / ${NODE.fsSize}{${job}} < ${t.diskFree}`,
          for: '10m',
          labels: { severity: 'critical' },
          annotations: { summary: `Gateway of tenant {{ $labels.tenant }}: less than ${pct(t.diskFree)} free on {{ $labels.mountpoint }}` },
        },
        {
          alert: 'RasGatewayTunnelsNearCapacity',
          expr: `${STRONGSWAN.ikeSas}{${job},state="established"} > on (size_class) group_left () (${t.tunnelShare} * ${CAPACITY_RECORD})`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: `Gateway of tenant {{ $labels.tenant }} holds {{ $value }} tunnels, above ${pct(t.tunnelShare)} of its size class ({{ $labels.size_class }})`,
            description: 'Resize the contract (declared terminals) before clients are refused.',
          },
        },
        {
          alert: 'RasStrongswanDown',
          expr: `${STRONGSWAN.up}{${job}} == 0`,
          for: '2m',
          labels: { severity: 'critical' },
          annotations: { summary: 'strongSwan on the gateway of tenant {{ $labels.tenant }} does not answer over vici' },
        },
        {
          alert: 'RasIkeFailures',
          expr: `(${refused} >= ${t.ikeRefusals}) and (${refused} > ${t.ikeRefusedShare} * ${attempts})`,
          labels: { severity: 'warning' },
          annotations: {
            summary: `Gateway of tenant {{ $labels.tenant }} refused {{ $value }} IKE attempts in 15 minutes, more than ${pct(t.ikeRefusedShare)} of all`,
            description: 'The reasons are in the device-authentication stream (ras-auth records) and in ras_ike_attempts_total{reason}.',
          },
        },
        {
          alert: 'RasClockOffset',
          expr: `abs(${GATEWAY.clockOffset}{${job}}) > ${t.clockOffsetSeconds}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: { summary: `Gateway of tenant {{ $labels.tenant }} is {{ $value }} s off the JST time servers (limit ${t.clockOffsetSeconds} s)` },
        },
        {
          alert: 'RasClockUnsynchronised',
          expr: `${GATEWAY.clockSynchronized}{${job}} == 0`,
          for: '15m',
          labels: { severity: 'critical' },
          annotations: { summary: 'Gateway of tenant {{ $labels.tenant }} has no synchronised JST time source' },
        },
        {
          alert: 'RasLogShippingStalled',
          // A collector that cannot read the streams' configuration cannot see a stall either.
          expr: `(${GATEWAY.unshippedOldestAge}{${job}} > ${t.unshippedAgeSeconds}) or (${GATEWAY.logsConfigReadable}{${job}} == 0)`,
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Gateway of tenant {{ $labels.tenant }}: a rotated log file has waited more than 3 hours to be shipped to the archive',
            description: 'ras-log-ship.service has not uploaded them; the searchable 90 days (12.4.1) depend on it.',
          },
        },
        {
          alert: 'RasGatewayFiguresStale',
          expr: `(time() - ${NODE.textfileMtime}{${job},file=~"(.*/)?(${textfiles})"} > ${t.textfileStaleSeconds}) or (${NODE.textfileError}{${job}} == 1)`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: { summary: 'Gateway of tenant {{ $labels.tenant }}: the strongSwan, clock or log figures stopped being refreshed' },
        },
      ],
    },
  ];
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}
