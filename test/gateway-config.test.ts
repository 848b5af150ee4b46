import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { loadFleet } from '../contract/load';
import type { TenantModel } from '../contract/model';
import { ContractError } from '../contract/problems';
import { hostVarsYaml, planAddresses, renderGatewayConfig, writeGatewayConfig } from '../gateway-config';

const REPO = resolve(__dirname, '..');
const fleetModel = loadFleet({ fleetFile: join(REPO, 'fleet.yaml'), tenantsDir: join(REPO, 'tenants') });
const fleet = fleetModel.settings;
const sakura = fleetModel.tenants.find((t) => t.id === 'sakura-trading') as TenantModel;

/** Every string value (not key) of a YAML text, with its tag. */
function stringValues(text: string): { value: string; tag?: string }[] {
  const found: { value: string; tag?: string }[] = [];
  visit(parseDocument(text, { customTags: [{ tag: '!unsafe', resolve: (s: string) => s }] }), {
    Scalar(key, node) {
      if (key !== 'key' && isScalar(node) && typeof node.value === 'string') found.push({ value: node.value, tag: node.tag });
    },
  });
  return found;
}

function withCustomerName(t: TenantModel, name: string): TenantModel {
  return { ...t, contract: { ...t.contract, customer: { name } } };
}

describe('renderGatewayConfig', () => {
  test('marks every string in the host variables !unsafe', () => {
    const values = stringValues(hostVarsYaml(renderGatewayConfig(sakura, fleet)));
    expect(values.length).toBeGreaterThan(20);
    expect(values.filter((v) => v.tag !== '!unsafe')).toEqual([]);
  });

  test('a customer name holding Jinja is carried as unsafe data, never as a template', () => {
    const jinja = "{{ lookup('ansible.builtin.pipe', 'id') }}";
    const text = hostVarsYaml(renderGatewayConfig(withCustomerName(sakura, jinja), fleet));
    const name = stringValues(text).find((v) => v.value === jinja);
    expect(name).toEqual({ value: jinja, tag: '!unsafe' });
  });

  test('Ansible itself prints a Jinja customer name literally (real ansible, local connection)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ras-gwcfg-'));
    const { inventoryFile } = writeGatewayConfig(dir, withCustomerName(sakura, '{{ 7 * 7 }}'), fleet);
    const r = spawnSync('ansible', ['-i', inventoryFile, 'all', '-c', 'local', '-m', 'ansible.builtin.debug', '-a', 'var=ras_tenant.customer_name'], {
      encoding: 'utf8',
      env: { ...process.env, RAS_GATEWAY_ADDRESS: '127.0.0.1', ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' },
    });
    if (r.error) throw new Error(`ansible is required for this test (scripts/install-deps.sh): ${r.error.message}`);
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: expect.stringContaining('"ras_tenant.customer_name": "{{ 7 * 7 }}"') });
    expect(r.stdout).not.toContain('49');
  });

  test('SSH pins the host key under the instance id the hand-off passes, else under the host name (real ansible)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ras-gwcfg-'));
    const { inventoryFile } = writeGatewayConfig(dir, sakura, fleet);
    const args = (instance?: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, RAS_GATEWAY_ADDRESS: '127.0.0.1', ANSIBLE_NOCOLOR: '1' };
      delete env.RAS_GATEWAY_INSTANCE;
      if (instance !== undefined) env.RAS_GATEWAY_INSTANCE = instance;
      const r = spawnSync('ansible', ['-i', inventoryFile, 'all', '-c', 'local', '-m', 'ansible.builtin.debug', '-a', 'var=ansible_ssh_common_args'], { encoding: 'utf8', env });
      if (r.error) throw new Error(`ansible is required for this test (scripts/install-deps.sh): ${r.error.message}`);
      return { status: r.status, value: /"ansible_ssh_common_args": "([^"]*)"/.exec(r.stdout)?.[1] };
    };
    expect(args('i-0a1b2c3d4e5f60718')).toEqual({ status: 0, value: '-o HostKeyAlias=i-0a1b2c3d4e5f60718' });
    expect(args()).toEqual({ status: 0, value: '-o HostKeyAlias=sakura-trading-gateway' });
    rmSync(dir, { recursive: true, force: true });
  });

  test('the loader refuses an identity containing "{{" before anything is rendered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ras-gwcfg-'));
    mkdirSync(join(dir, 'tenants'));
    copyFileSync(join(REPO, 'fleet.yaml'), join(dir, 'fleet.yaml'));
    const text = readFileSync(join(REPO, 'tenants', 'sakura-trading.yaml'), 'utf8').replace('carol@sakura-trading.example', '"{{ 7*7 }}@sakura-trading.example"');
    writeFileSync(join(dir, 'tenants', 'sakura-trading.yaml'), text);
    let error: unknown;
    try {
      loadFleet({ fleetFile: join(dir, 'fleet.yaml'), tenantsDir: join(dir, 'tenants') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.map((p) => p.code)).toContain('RAS010');
  });

  test('sets the half-open limit (COOKIE threshold) from the size class, not strongSwan\'s 30', () => {
    // ras.conf.j2: cookies, and the IKE_AUTH failures a challenged burst brings, start only beyond
    // the class's terminal count.
    expect(renderGatewayConfig(sakura, fleet).hostVars.strongswan_half_open_limit).toBe(sakura.size.maxTerminals);
    expect(sakura.size.maxTerminals).toBeGreaterThan(30);
  });

  test('holds secret-store paths, never secrets', () => {
    const config = renderGatewayConfig(sakura, fleet);
    expect(config.hostVars.ras_secret_store).toEqual(expect.objectContaining({ kind: 'aws-secretsmanager', path: 'ras/prod/tenants/sakura-trading' }));
    const text = hostVarsYaml(config);
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE|password|secret:/i);
  });

  test('is deterministic: the same input writes byte-identical files and the same hash', () => {
    const a = writeGatewayConfig(mkdtempSync(join(tmpdir(), 'ras-gwcfg-')), sakura, fleet);
    const b = writeGatewayConfig(mkdtempSync(join(tmpdir(), 'ras-gwcfg-')), sakura, fleet);
    expect(readFileSync(a.inventoryFile)).toEqual(readFileSync(b.inventoryFile));
    expect(readFileSync(a.hostVarsFile)).toEqual(readFileSync(b.hostVarsFile));
    expect(a.hash).toBe(b.hash);
    const other = writeGatewayConfig(mkdtempSync(join(tmpdir(), 'ras-gwcfg-')), withCustomerName(sakura, 'changed'), fleet);
    expect(other.hash).not.toBe(a.hash);
  });

  test('maps user groups to disjoint blocks and rules to those blocks', () => {
    const config = renderGatewayConfig(sakura, fleet);
    expect(config.hostVars.strongswan_pools).toEqual([
      { name: 'engineering', cidr: '10.128.0.0/26' },
      { name: 'sales', cidr: '10.128.0.128/26' },
    ]);
    expect(config.hostVars.access_control_rules).toContainEqual({
      name: 'sales-intranet-web-web',
      user_group: 'sales',
      destinations: ['172.16.10.0/24'],
      services: [{ protocol: 'tcp', ports: [80, 443] }],
    });
    expect(config.hostVars.strongswan_crypto_profile).toBe('strong');
    expect(config.hostVars.strongswan_legacy_opt_in).toBe(false);
  });

  test('the legacy profile is rendered only with the opt-in', () => {
    const kitakaze = fleetModel.tenants.find((t) => t.id === 'kitakaze-logistics') as TenantModel;
    const config = renderGatewayConfig(kitakaze, fleet);
    expect(config.hostVars.strongswan_crypto_profile).toBe('legacy');
    expect(config.hostVars.strongswan_legacy_opt_in).toBe(true);
  });
});

describe('planAddresses', () => {
  test('sorted by group name, so reordering the contract moves no address', () => {
    const a = planAddresses('10.0.0.0/24', [{ name: 'b', members: ['x'] }, { name: 'a', members: ['y'] }]);
    const b = planAddresses('10.0.0.0/24', [{ name: 'a', members: ['y'] }, { name: 'b', members: ['x'] }]);
    expect(a).toEqual(b);
    expect(a.groups.map((g) => [g.group, g.block])).toEqual([['a', '10.0.0.0/25'], ['b', '10.0.0.128/25']]);
  });

  test('refuses a pool too small for its groups', () => {
    expect(() => planAddresses('10.0.0.0/29', [{ name: 'a', members: ['x'] }, { name: 'b', members: ['y'] }])).toThrow(/too small/);
  });
});
