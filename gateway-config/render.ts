/**
 * Renders one tenant's gateway configuration (inventory + host variables) from the typed
 * model. Pure data: no secret is ever read here; the gateway's certificate, key, EAP and PSK
 * secrets are named by their secret-store path and fetched by the playbook at run time.
 */
import { COMBINED_DOWNLOAD_PREFIX, GATEWAY_VARIABLE_NAMES as V, LOG_STREAMS, OPERATOR_WORK_STREAM, TIMEZONE, UTC_OFFSET } from '../commitments';
import type { TenantModel } from '../contract/model';
import type { FleetSettings } from '../contract/types';
import { GATEWAY_ADDRESS_ENV, GATEWAY_INSTANCE_ENV } from '../lib/gateway-address';
import { DEVICE_PKI_VARIABLE, DEVICE_REAUTH_TIME, type DevicePkiRecords } from '../lib/device-records';
import { planAddresses } from './address-plan';
import { relayVariables } from './relay';

export { GATEWAY_ADDRESS_ENV };

/** Names of the secrets the playbook reads under the tenant's secret-store path. */
export const SECRET_NAMES = {
  caCertificate: 'ca-cert',
  gatewayCertificate: 'gateway-cert',
  gatewayKey: 'gateway-key',
  eapUsers: 'eap-users',
  l2tpPsk: 'l2tp-psk',
} as const;

export interface GatewayConfig {
  /** Inventory host name of the tenant's gateway. */
  readonly hostName: string;
  readonly inventory: Record<string, unknown>;
  /** Variables for that host: the only input the roles read. */
  readonly hostVars: Record<string, unknown>;
}

/** The tenant's log archive bucket (same naming as stacks/tenant-stack.ts). */
export function logArchiveBucket(tenant: TenantModel, fleet: FleetSettings): string {
  return `${fleet.namePrefix}-${tenant.id}-logs`;
}

/**
 * `devicePki`: the tenant's device PKI records (`ras device`), public material only. The
 * gateway then trusts only that tenant CA for certificate logins, loads its CRL and ends the
 * sessions of every revoked or suspended certificate listed (ansible/roles/strongswan).
 */
export function renderGatewayConfig(tenant: TenantModel, fleet: FleetSettings, devicePki?: DevicePkiRecords): GatewayConfig {
  const c = tenant.contract;
  const ac = c.accessControl;
  const plan = planAddresses(c.gateway.clientPool, ac.userGroups);
  const blockOf = new Map(plan.groups.map((g) => [g.group, g]));
  const hostCidrs = new Map(ac.hostGroups.map((h) => [h.name, [...h.cidrs]]));
  const services = new Map(ac.serviceGroups.map((s) => [s.name, s.services.map((x) => ({ protocol: x.protocol, ports: [...(x.ports ?? [])] }))]));
  const hostName = `${tenant.id}-gateway`;
  // Type B runs the relay role instead of strongswan and access_control (ansible/site.yml).
  const relay = tenant.relay !== undefined;
  const vpnVariables = (): Record<string, unknown> => ({
      [V.cryptoProfile]: tenant.crypto.profile,
      [V.legacyOptIn]: tenant.crypto.legacyOptIn !== undefined,
      [V.ikev2]: c.gateway.protocols.includes('ikev2'),
      [V.l2tpIpsec]: c.gateway.protocols.includes('l2tp-ipsec'),
      [V.pptp]: c.gateway.protocols.includes('pptp'),
      strongswan_auth_methods: [...c.gateway.authentication],
      strongswan_client_pool: c.gateway.clientPool,
      strongswan_customer_cidrs: [...tenant.network.customerCidrs],
      strongswan_ppp_local_address: plan.pppLocalAddress,
      strongswan_half_open_limit: tenant.size.maxTerminals,
      strongswan_pools: plan.groups.map((g) => ({ name: g.group, cidr: g.ikev2Pool })),
      strongswan_users: ac.userGroups
        .flatMap((g) => g.members.map((m) => ({ identity: m, group: g.name, ppp_address: blockOf.get(g.name)?.pppAddresses.get(m) })))
        .sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0)),

      // Closed mobile access: the carrier-only identities get connections bound to the carrier-side
      // address and ranges, and none on the internet side (carrier NAT makes addresses no identity).
      ...(tenant.network.closedMobile === undefined
        ? {}
        : {
            strongswan_closed_mobile: {
              local_address: tenant.network.closedMobile.gatewayAddress,
              carrier_cidrs: [...tenant.network.closedMobile.carrierCidrs],
              identities: [...tenant.network.closedMobile.identities],
            },
          }),

      access_control_user_groups: ac.userGroups.map((g) => g.name).sort(),
      access_control_rules: ac.rules.map((r) => ({
        name: `${r.userGroup}-${r.hostGroup}-${r.serviceGroup}`,
        user_group: r.userGroup,
        destinations: hostCidrs.get(r.hostGroup) ?? [],
        services: services.get(r.serviceGroup) ?? [],
      })),
  });
  // The protocol flags stay, all off: they say which VPN ports the gateway needs (none).
  const vpnFlagsOff = (): Record<string, unknown> => ({ [V.ikev2]: false, [V.l2tpIpsec]: false, [V.pptp]: false });

  const hostVars = {
    ras_tenant: {
      id: tenant.id,
      customer_name: c.customer.name,
      service_codes: { ...c.serviceCodes },
      iso_scope: tenant.scope.inScope,
      // The opt-in's record (not only the flag below), so the report can show who approved it, when and why.
      ...(tenant.crypto.legacyOptIn === undefined
        ? {}
        : { legacy_crypto_opt_in: { approved_by: tenant.crypto.legacyOptIn.approvedBy, approved_on: tenant.crypto.legacyOptIn.approvedOn ?? null, reason: tenant.crypto.legacyOptIn.reason } }),
    },
    ras_secret_store: { kind: fleet.secretStore.kind, path: `${fleet.secretStore.pathPrefix}/${tenant.id}`, names: { ...SECRET_NAMES } },

    hardening_management_cidr: fleet.operationsCidr,

    ...(relay ? vpnFlagsOff() : vpnVariables()),

    [V.ntpServers]: [...fleet.ntpServers],
    [V.timezone]: TIMEZONE,
    [V.utcOffset]: UTC_OFFSET,

    monitoring_operations_cidr: fleet.operationsCidr,

    logs_archive_bucket: logArchiveBucket(tenant, fleet),
    logs_archive_region: tenant.region.name,
    logs_streams: LOG_STREAMS.map((s) => ({ id: s.id, prefix: s.prefix })),
    logs_combined_prefix: COMBINED_DOWNLOAD_PREFIX,
    logs_operator_stream: { id: OPERATOR_WORK_STREAM.id, prefix: OPERATOR_WORK_STREAM.prefix },
    ...(relay ? relayVariables(tenant, devicePki) : {}),
    ...(relay || devicePki === undefined ? {} : { [DEVICE_PKI_VARIABLE]: devicePkiVariables(devicePki, tenant.id) }),
  };

  const inventory = {
    all: {
      children: {
        ras_gateways: {
          hosts: {
            [hostName]: {
              // The address is known only once Terraform has created the instance; the
              // hand-off passes it in the environment rather than on a command line.
              ansible_host: `{{ lookup('ansible.builtin.env', '${GATEWAY_ADDRESS_ENV}') }}`,
              // The operations account cloud-init created at first boot (gateway-config/cloud-init.ts).
              ansible_user: fleet.operationsAccess.handOffAccount,
              // The host key is pinned per instance (ansible/ansible.cfg trusts a new one on first
              // use); run by hand without the hand-off's environment, per host name.
              ansible_ssh_common_args: `-o HostKeyAlias={{ lookup('ansible.builtin.env', '${GATEWAY_INSTANCE_ENV}') | default(inventory_hostname, true) }}`,
            },
          },
        },
      },
    },
  };
  return { hostName, inventory, hostVars };
}

function devicePkiVariables(d: DevicePkiRecords, tenantId: string): Record<string, unknown> {
  return {
    tenant: tenantId,
    tenant_ca: d.tenantCaPem,
    root_ca: d.rootCaPem,
    crl: d.crlPem,
    crl_number: d.crlNumber,
    crl_next_update: d.crlNextUpdate,
    terminate_blocked_sessions: true,
    reauth_time: DEVICE_REAUTH_TIME,
    devices: d.devices,
    active: d.active,
    suspended: d.suspended,
    revoked: d.revoked,
    blocked: d.blocked.map((b) => ({ serial: b.serial, device: b.device, identity: b.identity, status: b.status, reason: b.reason })),
    // The expiry metrics the gateway's node_exporter exports (Unix seconds, as the alert rules read them).
    crl_next_update_epoch: Math.floor(Date.parse(d.crlNextUpdate) / 1000),
    certificates: d.certificates.map((c) => ({ device: c.device, identity: c.identity, serial: c.serial, status: c.status, not_after_epoch: Math.floor(Date.parse(c.notAfter) / 1000) })),
  };
}
