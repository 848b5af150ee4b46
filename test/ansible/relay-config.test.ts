/**
 * A Type B tenant's relay, from contract and device records to a squid configuration squid
 * itself accepts: `ras device` issues real certificates for contract identities, the gateway
 * variables are rendered and read back as Ansible reads them, Ansible renders the relay role's
 * squid.conf from exactly those variables, and `squid -k parse` checks it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet } from '../../contract/load';
import type { TenantModel } from '../../contract/model';
import { writeGatewayConfig } from '../../gateway-config';
import { gatewayVariables, mergedVariables, readGatewayLayers, roleDefaults } from '../../output/gateway-variables';
import { makeDeviceFixture, REPO, type DeviceFixture } from '../devices/helpers/fixture';

const ROLE = join(REPO, 'ansible', 'roles', 'relay');
let fx: DeviceFixture;
let vars: Record<string, unknown>;
let typed: ReturnType<typeof gatewayVariables>;
let hostVarsFile: string;

beforeAll(async () => {
  fx = makeDeviceFixture();
  const loaded = loadFleet({ fleetFile: join(fx.root, 'fleet.yaml'), tenantsDir: join(fx.root, 'tenants') });
  const tsubame = loaded.tenants.find((t) => t.id === 'tsubame-travel') as TenantModel;
  for (const [device, identity] of [['counter-1', 'dana@tsubame-travel.example'], ['office-1', 'fumi@tsubame-travel.example'], ['old-tablet', 'eiji@tsubame-travel.example']]) {
    const r = await fx.run(['issue', ...fx.common('tsubame-travel'), '--device', device, '--identity', identity]);
    expect(r.code).toBe(0);
  }
  expect((await fx.run(['revoke', ...fx.common('tsubame-travel'), '--device', 'old-tablet'])).code).toBe(0);
  const stack = mkdtempSync(join(fx.root, 'stack-'));
  hostVarsFile = writeGatewayConfig(stack, tsubame, loaded.settings, { stateDir: fx.state }).hostVarsFile;
  const layers = readGatewayLayers(stack, roleDefaults(join(REPO, 'ansible', 'roles')))!;
  vars = mergedVariables(layers).merged;
  typed = gatewayVariables(layers);
}, 120_000);
afterAll(() => fx.cleanup());

test('a Type B gateway gets the relay role: active devices of contract identities, routes, the device CA and CRL, the relay log sources', () => {
  expect(typed.gatewayType).toBe('B');
  expect(vars.relay_devices).toEqual([
    { device: 'counter-1', identity: 'dana@tsubame-travel.example', group: 'counter-staff' },
    { device: 'office-1', identity: 'fumi@tsubame-travel.example', group: 'back-office' },
  ]);
  expect(vars.relay_routes).toEqual([
    { name: 'counter-staff-booking-web-https', user_group: 'counter-staff', destinations: ['172.18.10.20/32'], ports: [443] },
    { name: 'back-office-booking-web-https', user_group: 'back-office', destinations: ['172.18.10.20/32'], ports: [443] },
    { name: 'back-office-accounting-web-web-admin', user_group: 'back-office', destinations: ['172.18.20.0/28'], ports: [80, 8443] },
  ]);
  expect(String(vars.relay_client_ca).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  expect(String(vars.relay_client_crl)).toMatch(/^-----BEGIN X509 CRL-----/);
  expect(vars.logs_stream_sources).toEqual({ 'vpn-connection': 'ras-relay-connection', 'access-control': 'ras-relay-access', 'device-authentication': 'ras-relay-auth' });
  // Nothing of the IPsec gateway is rendered for it (the role defaults still declare them).
  const hostVars = readFileSync(hostVarsFile, 'utf8');
  expect(hostVars.match(/^(strongswan_|access_control_)[a-z0-9_]+/gm)).toEqual(['strongswan_ikev2_enabled', 'strongswan_l2tp_enabled', 'strongswan_pptp_enabled']);
  expect(typed.protocols).toEqual({ ikev2: false, l2tpIpsec: false, pptp: false });
  expect(hostVars).not.toContain('PRIVATE KEY');
});

test('Ansible renders a squid.conf squid accepts: client certificate required, only the contract routes, no caching, no interception', () => {
  const dir = mkdtempSync(join(fx.root, 'relay-'));
  // The relay's own TLS identity (in production from the secret store): a throwaway self-signed one.
  const req = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=relay.test', '-days', '1', '-keyout', join(dir, 'relay-key.pem'), '-out', join(dir, 'relay-cert.pem')]);
  expect(req.status).toBe(0);
  writeFileSync(join(dir, 'client-ca.pem'), String(vars.relay_client_ca));
  writeFileSync(join(dir, 'client-crl.pem'), String(vars.relay_client_crl));
  writeFileSync(
    join(dir, 'render.yml'),
    [
      '- hosts: localhost',
      '  connection: local',
      '  gather_facts: false',
      `  vars_files: [${JSON.stringify(join(ROLE, 'defaults', 'main.yml'))}, ${JSON.stringify(hostVarsFile)}]`,
      '  tasks:',
      '    - ansible.builtin.template:',
      `        src: ${JSON.stringify(join(ROLE, 'templates', 'etc', 'squid', 'squid.conf.j2'))}`,
      `        dest: ${JSON.stringify(join(dir, 'squid.conf'))}`,
      '        mode: "0644"',
      '      vars:',
      `        relay_dir: ${JSON.stringify(dir)}`,
      `        relay_log_dir: ${JSON.stringify(dir)}`,
      '',
    ].join('\n'),
  );
  const play = spawnSync('ansible-playbook', ['-i', 'localhost,', join(dir, 'render.yml')], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  expect(play.stderr + play.stdout).toMatch(/ok=1 +changed=1 +unreachable=0 +failed=0/);
  const conf = readFileSync(join(dir, 'squid.conf'), 'utf8');
  const parse = spawnSync('/usr/sbin/squid', ['-k', 'parse', '-f', join(dir, 'squid.conf')], { encoding: 'utf8' });
  expect({ status: parse.status, errors: (parse.stderr + parse.stdout).split('\n').filter((l) => /FATAL|ERROR|WARNING/.test(l)) }).toEqual({ status: 0, errors: [] });
  expect(conf).toMatch(/^https_port 443 .*clientca=\S+client-ca\.pem .*crlfile=\S+client-crl\.pem/m);
  expect(conf).toContain('acl relay_group_back_office user_cert CN office-1\n');
  expect(conf).toContain('annotate_transaction ras_user=dana@tsubame-travel.example ras_group=counter-staff');
  expect(conf).toContain('acl relay_route_3_dst dst 172.18.20.0/28\nacl relay_route_3_port port 80 8443\n');
  expect(conf.match(/^http_access allow .*$/gm)).toEqual([
    'http_access allow relay_group_counter_staff relay_route_1_dst relay_route_1_port relay_route_1_ok',
    'http_access allow relay_group_back_office relay_route_2_dst relay_route_2_port relay_route_2_ok',
    'http_access allow relay_group_back_office relay_route_3_dst relay_route_3_port relay_route_3_ok',
  ]);
  expect(conf).not.toContain('old-tablet');
  expect(conf).not.toMatch(/^\s*ssl_bump/m);
  expect(conf).toMatch(/^cache deny all$/m);
  expect(conf).toMatch(/^reply_header_add Cache-Control "no-store"$/m);
  expect(conf.trimEnd().split('\n').filter((l) => l.startsWith('http_access')).pop()).toBe('http_access deny all');
}, 120_000);
