/**
 * Gateway Type B: a per-customer relay for HTTP(S) from the dedicated browser. It carries only
 * web traffic, so a Type B contract may only name web ports; everything else is Type A's job.
 */

/** The destination ports a Type B relay may open a tunnel (CONNECT) or forward a request to. */
export const RELAY_HTTP_PORTS: readonly number[] = [80, 443, 8080, 8443];

/** The one client authentication a relay knows: a client certificate from the tenant's device CA. */
export const RELAY_AUTHENTICATION = 'certificate';

/** The TCP port the relay's TLS listener answers on (the only port open to the internet). */
export const RELAY_LISTEN_PORT = 443;

/**
 * The syslog tags of the relay's three log files, one per customer stream (commitments/index.ts
 * LOG_STREAMS): the relay role writes under them, the logs role routes them into the stream files.
 */
export const RELAY_LOG_SOURCES = {
  'vpn-connection': 'ras-relay-connection',
  'access-control': 'ras-relay-access',
  'device-authentication': 'ras-relay-auth',
} as const;
