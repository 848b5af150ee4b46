/**
 * The variables of a Type B gateway's relay role (ansible/roles/relay): who may log in (the
 * tenant's device certificates issued to contract identities), where each user group may go,
 * and the device CA and CRL the TLS listener checks. Public material only.
 */
import { RELAY_HTTP_PORTS, RELAY_LISTEN_PORT, RELAY_LOG_SOURCES } from '../commitments';
import type { TenantModel } from '../contract/model';
import type { DevicePkiRecords } from '../lib/device-records';

export function relayVariables(tenant: TenantModel, devicePki: DevicePkiRecords | undefined): Record<string, unknown> {
  const relay = tenant.relay;
  if (relay === undefined) throw new Error(`${tenant.id} is not a Type B tenant`);
  const groupOf = new Map(tenant.contract.accessControl.userGroups.flatMap((g) => g.members.map((m) => [m.toLowerCase(), g.name] as const)));
  // A device whose identity left the contract gets no group, hence no access: left out here.
  const devices = (devicePki?.certificates ?? [])
    .filter((c) => c.status === 'active' && groupOf.has(c.identity.toLowerCase()))
    .map((c) => ({ device: c.device, identity: c.identity, group: groupOf.get(c.identity.toLowerCase()) as string }))
    .sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  return {
    ras_gateway_type: 'B',
    relay_listen_port: RELAY_LISTEN_PORT,
    relay_http_ports: [...RELAY_HTTP_PORTS],
    relay_user_groups: tenant.contract.accessControl.userGroups.map((g) => g.name).sort(),
    relay_devices: devices,
    relay_routes: relay.routes.map((r) => ({ name: r.name, user_group: r.userGroup, destinations: [...r.cidrs], ports: [...r.ports] })),
    // The chain the listener verifies client certificates against: tenant device CA, then the fleet root.
    relay_client_ca: devicePki === undefined ? '' : `${devicePki.tenantCaPem.trim()}\n${devicePki.rootCaPem.trim()}\n`,
    relay_client_crl: devicePki?.crlPem ?? '',
    relay_log_tags: { connection: RELAY_LOG_SOURCES['vpn-connection'], access: RELAY_LOG_SOURCES['access-control'], authentication: RELAY_LOG_SOURCES['device-authentication'] },
    // The logs role's stream routing: the relay's files instead of charon, ulogd and the VPN up/down script.
    logs_stream_sources: { ...RELAY_LOG_SOURCES },
  };
}
