/**
 * Revocation reaches the gateway's variables: the device records `ras device` keeps are rendered
 * into `strongswan_device_pki` (public material and counts only), read back through the output
 * reader as Ansible reads them, and judged by the rule. No device records: no variable, and the
 * rule is not applicable.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet } from '../../contract/load';
import type { TenantModel } from '../../contract/model';
import { writeGatewayConfig } from '../../gateway-config';
import { gatewayVariables, readGatewayLayers, roleDefaults } from '../../output/gateway-variables';
import { GatewayTrustsOwnDeviceCaAndCutsRevoked } from '../../policies/rules/GatewayTrustsOwnDeviceCaAndCutsRevoked';
import { activeTenant, input } from '../policies/fixtures';
import { makeDeviceFixture, REPO, type DeviceFixture } from './helpers/fixture';

const ROLES = join(REPO, 'ansible', 'roles');
let fx: DeviceFixture;
let sakura: TenantModel;
let fleet: ReturnType<typeof loadFleet>['settings'];
const serials: Record<string, string> = {};

beforeAll(async () => {
  fx = makeDeviceFixture();
  const loaded = loadFleet({ fleetFile: join(fx.root, 'fleet.yaml'), tenantsDir: join(fx.root, 'tenants') });
  fleet = loaded.settings;
  sakura = loaded.tenants.find((t) => t.id === 'sakura-trading') as TenantModel;
  for (const [device, identity] of [['laptop', 'alice@sakura-trading.example'], ['phone', 'bob@sakura-trading.example'], ['tablet', 'carol@sakura-trading.example']]) {
    const r = await fx.run(['issue', ...fx.common(), '--device', device, '--identity', identity]);
    expect(r.code).toBe(0);
    serials[device] = /serial ([0-9a-f]+)/.exec(r.stdout)![1];
  }
  expect((await fx.run(['revoke', ...fx.common(), '--device', 'laptop'])).code).toBe(0);
  expect((await fx.run(['suspend', ...fx.common(), '--device', 'phone'])).code).toBe(0);
}, 120_000);
afterAll(() => fx.cleanup());

function rendered(stateDir: string): { text: string; vars: ReturnType<typeof gatewayVariables>; hash: string; file: string } {
  const dir = mkdtempSync(join(fx.root, 'vars-'));
  const w = writeGatewayConfig(dir, sakura, fleet, { stateDir });
  const layers = readGatewayLayers(dir, roleDefaults(ROLES))!;
  return { text: readFileSync(w.hostVarsFile, 'utf8'), vars: gatewayVariables(layers), hash: w.hash, file: w.hostVarsFile };
}

test('the tenant CA, fleet root, CRL, counts and blocked serials are rendered and read back as Ansible reads them', () => {
  const { text, vars } = rendered(fx.state);
  const d = vars.devicePki!;
  expect(d.tenantCa).toBe(readFileSync(join(fx.pub('sakura-trading'), 'ca-chain.pem'), 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]);
  expect(d.crl).toBe(readFileSync(join(fx.pub('sakura-trading'), 'crl.pem'), 'utf8'));
  expect({ devices: d.devices, active: d.active, suspended: d.suspended, revoked: d.revoked, crlNumber: d.crlNumber, terminate: d.terminateBlockedSessions, reauth: d.reauthTime }).toEqual({
    devices: 3,
    active: 1,
    suspended: 1,
    revoked: 1,
    crlNumber: 5,
    terminate: true,
    reauth: '4h',
  });
  expect(d.blocked).toEqual([
    { serial: serials.laptop, identity: 'alice@sakura-trading.example', status: 'revoked' },
    { serial: serials.phone, identity: 'bob@sakura-trading.example', status: 'suspended' },
  ]);
  expect(Date.parse(d.crlNextUpdate!)).toBeGreaterThan(Date.now());
  expect(text).not.toContain('PRIVATE KEY');
  expect(text).not.toContain(fx.secrets);
});

test("the gateway exports each device's certificate expiry and the CRL's next update for node_exporter: the role's template, rendered by Ansible, equals ras device metrics", async () => {
  const { file } = rendered(fx.state);
  const out = join(fx.root, 'ras_device_certificates.prom');
  const template = join(ROLES, 'strongswan', 'templates', 'var', 'lib', 'prometheus', 'node-exporter', 'ras_device_certificates.prom.j2');
  const r = spawnSync('ansible', ['localhost', '-c', 'local', '-m', 'ansible.builtin.template', '-a', `src=${template} dest=${out}`, '-e', `@${file}`], {
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False' },
    encoding: 'utf8',
  });
  expect({ status: r.status, out: r.stdout.slice(-2000) + r.stderr.slice(-2000) }).toEqual(expect.objectContaining({ status: 0 }));
  const exported = readFileSync(out, 'utf8');
  const cli = await fx.run(['metrics', ...fx.common()]);
  expect(cli.code).toBe(0);
  expect(exported).toBe(cli.stdout);
  // The revoked laptop is not exported; the active tablet and the suspended phone are.
  expect(exported).toContain(`serial="${serials.tablet}",status="active"`);
  expect(exported).toContain(`serial="${serials.phone}",status="suspended"`);
  expect(exported).not.toContain(serials.laptop);
  const check = spawnSync('promtool', ['check', 'metrics'], { input: exported, encoding: 'utf8' });
  expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
}, 120_000);

test('the rule: compliant on these variables, with the counts and the CRL next update as evidence', () => {
  const f = activeTenant('sakura-trading');
  f.vars = { ...f.vars, strongswan_device_pki: JSON.parse(JSON.stringify(rawDevicePki(fx.state))) };
  const r = GatewayTrustsOwnDeviceCaAndCutsRevoked(input(f));
  expect(r.status).toBe('compliant');
  const values = r.status === 'compliant' ? r.evidence.map((e) => e.value) : [];
  expect(values).toContainEqual('3 devices: 1 active, 1 suspended, 1 revoked');
  expect(values).toContainEqual(expect.stringMatching(/^CRL number 5, next update \d{4}-/));
  expect(values).toContainEqual(expect.stringMatching(/^trusted for certificate logins: O=ras-prod, OU=sakura-trading, CN=sakura-trading device CA/));
});

test('without device records nothing is rendered and the rule is not applicable', () => {
  const { text, vars } = rendered(join(fx.root, 'no-state'));
  expect(text).not.toContain('strongswan_device_pki');
  expect(vars.devicePki).toBeUndefined();
  const f = activeTenant('sakura-trading');
  expect(GatewayTrustsOwnDeviceCaAndCutsRevoked(input(f)).status).toBe('not_applicable');
});

test('a re-signed CRL changes the rendered configuration (and so its hash: the hand-off re-runs the playbook)', async () => {
  const before = rendered(fx.state);
  expect(rendered(fx.state).hash).toBe(before.hash);
  expect((await fx.run(['crl', ...fx.common()])).code).toBe(0);
  const after = rendered(fx.state);
  expect(after.hash).not.toBe(before.hash);
  expect(after.vars.devicePki!.crlNumber).toBe(before.vars.devicePki!.crlNumber! + 1);
});

/** The variable's value as the output reader gives the rules (mapped back to the rendered names). */
function rawDevicePki(stateDir: string): Record<string, unknown> {
  const d = rendered(stateDir).vars.devicePki!;
  return {
    tenant_ca: d.tenantCa,
    root_ca: d.rootCa,
    crl: d.crl,
    crl_number: d.crlNumber,
    crl_next_update: d.crlNextUpdate,
    terminate_blocked_sessions: d.terminateBlockedSessions,
    reauth_time: d.reauthTime,
    devices: d.devices,
    active: d.active,
    suspended: d.suspended,
    revoked: d.revoked,
    blocked: d.blocked,
  };
}
