/**
 * The gateway variables for the example stacks. The gateway configuration work (gateway-config/,
 * a parallel branch) renders them into <stack>/ansible/ during synth; until that is merged, this
 * writes a stand-in with the same layout and variable names (ansible/host_vars/<tenant>-gateway.yml,
 * strongswan_*, time_*), derived from the same contract, so the rules have something real-shaped
 * to judge. Where the synth already rendered ansible/, nothing is written and the real files are used.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TIMEZONE } from '../../commitments';
import type { FleetModel } from '../../contract/model';

export function ensureGatewayVariables(outdir: string, fleet: FleetModel): 'rendered' | 'stand-in' {
  let wrote = false;
  for (const t of fleet.tenants.filter((x) => x.active)) {
    const dir = join(outdir, 'stacks', t.id, 'ansible');
    if (existsSync(dir)) continue;
    mkdirSync(join(dir, 'host_vars'), { recursive: true });
    const protocols = t.contract.gateway.protocols;
    const vars = {
      strongswan_crypto_profile: t.crypto.profile,
      strongswan_legacy_opt_in: t.crypto.legacyOptIn !== undefined,
      strongswan_ikev2_enabled: protocols.includes('ikev2'),
      strongswan_l2tp_enabled: protocols.includes('l2tp-ipsec'),
      strongswan_pptp_enabled: protocols.includes('pptp'),
      time_ntp_servers: [...fleet.settings.ntpServers],
      time_timezone: TIMEZONE,
    };
    writeFileSync(join(dir, 'inventory.yml'), stringify({ all: { children: { ras_gateways: { hosts: { [`${t.id}-gateway`]: {} } } } } }));
    writeFileSync(join(dir, 'host_vars', `${t.id}-gateway.yml`), stringify(vars));
    wrote = true;
  }
  return wrote ? 'stand-in' : 'rendered';
}

/** The one host_vars file of a tenant's stack. */
export function hostVarsFile(outdir: string, tenant: string): string {
  return join(outdir, 'stacks', tenant, 'ansible', 'host_vars', `${tenant}-gateway.yml`);
}
