/**
 * The metrics the fleet's alert rules judge, named once. Each is exported by the gateway itself:
 * node_exporter 1.5's default collectors (Debian's prometheus-node-exporter, started by the
 * monitoring role) or the textfile files the roles write (ansible/roles/monitoring/files/
 * ras-strongswan-metrics and ras-gateway-metrics, ansible/roles/strongswan/files/ras-auth-records),
 * or by `ras device metrics` (devices/). test/monitoring/ holds the names equal to what those
 * programs really print.
 */

/** node_exporter (default collectors: cpu, meminfo, filesystem, textfile) and Prometheus's own `up`. */
export const NODE = {
  up: 'up',
  cpuSeconds: 'node_cpu_seconds_total',
  memAvailable: 'node_memory_MemAvailable_bytes',
  memTotal: 'node_memory_MemTotal_bytes',
  fsAvail: 'node_filesystem_avail_bytes',
  fsSize: 'node_filesystem_size_bytes',
  textfileMtime: 'node_textfile_mtime_seconds',
  textfileError: 'node_textfile_scrape_error',
} as const;

/** ras-strongswan-metrics (every 30 s, ras_strongswan.prom). */
export const STRONGSWAN = {
  up: 'ras_strongswan_up',
  ikeSas: 'ras_strongswan_ike_sas',
} as const;

/** ras-auth-records (one increment per recorded IKE attempt, ras_ike_attempts.prom). */
export const IKE_ATTEMPTS = 'ras_ike_attempts_total';

/** ras-gateway-metrics (with the strongSwan figures, ras_gateway.prom): chrony and log shipping. */
export const GATEWAY = {
  clockSynchronized: 'ras_chrony_synchronized',
  clockOffset: 'ras_chrony_offset_seconds',
  logsConfigReadable: 'ras_logs_config_readable',
  unshippedFiles: 'ras_logs_unshipped_files',
  unshippedOldestAge: 'ras_logs_unshipped_oldest_age_seconds',
} as const;

/** Textfiles refreshed on a timer (a stale one means its figures stopped). */
export const TIMED_TEXTFILES = ['ras_strongswan.prom', 'ras_gateway.prom'] as const;

/** `ras device metrics` (devices/metrics.ts). */
export const DEVICE = {
  certificateExpiry: 'ras_device_certificate_expiry_timestamp_seconds',
  crlNextUpdate: 'ras_device_crl_next_update_timestamp_seconds',
} as const;
