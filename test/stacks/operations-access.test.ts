/**
 * Operations access: the gateway's first-boot user data creates fleet.yaml's operations accounts
 * (keys only, sshd admitting them from the operations CIDR only), is valid cloud-config for the
 * real `cloud-init schema` (Debian package cloud-init; missing, the test fails), and the hand-off
 * runs the playbook as the hand-off account.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { operationsUserData, renderGatewayConfig } from '../../gateway-config';
import { exampleFleet, exampleTenant, only, synthTenant } from '../helpers/synth';

const fleet = exampleFleet();
const userData = operationsUserData(fleet.settings);
const dir = mkdtempSync(join(tmpdir(), 'ras-cloud-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cloudInitSchema(text: string): { status: number | null; output: string } {
  const file = join(dir, 'user-data.yaml');
  writeFileSync(file, text);
  const r = spawnSync('cloud-init', ['schema', '-c', file], { encoding: 'utf8' });
  if (r.error !== undefined) throw new Error(`cloud-init not found (${r.error.message}): install the Debian package cloud-init (scripts/debian-packages.txt)`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('cloud-init schema accepts the user data, and refuses a broken variant (the check can fail)', () => {
  const good = cloudInitSchema(userData);
  expect(good.output).toContain('Valid cloud-config');
  expect(good.status).toBe(0);
  const broken = cloudInitSchema(userData.replace('lock_passwd: true', 'lock_passwd: "no"'));
  expect(broken.status).not.toBe(0);
  expect(broken.output).toContain('users.0');
});

test('creates exactly the listed accounts, key-only, and sshd admits them from the operations CIDR only', () => {
  expect(userData.startsWith('#cloud-config\n')).toBe(true);
  const config = parse(userData);
  expect(config.users).toEqual([
    { name: 'rasops', shell: '/bin/bash', lock_passwd: true, sudo: 'ALL=(ALL) NOPASSWD:ALL', ssh_authorized_keys: fleet.settings.operationsAccess.accounts[0].sshPublicKeys },
  ]);
  expect(config).toMatchObject({ ssh_pwauth: false, disable_root: true });
  const sshd: string = config.write_files[0].content;
  expect(sshd.split('\n')).toEqual(expect.arrayContaining(['PasswordAuthentication no', 'AuthenticationMethods publickey', 'PermitRootLogin no', 'AllowUsers rasops@10.255.0.0/24']));
  expect(userData).not.toMatch(/PRIVATE KEY/);
});

test("the gateway boots with it, and the hand-off connects as fleet.yaml's hand-off account", () => {
  const json = synthTenant('sakura-trading', fleet);
  expect(only(json, 'aws_instance')).toMatchObject({ user_data: userData, user_data_replace_on_change: false });
  const handOff = only(json, 'terraform_data').provisioner[0]['local-exec'];
  expect(handOff.interpreter).toEqual(expect.arrayContaining(['--user', 'rasops']));
  const rendered = renderGatewayConfig(exampleTenant('sakura-trading', fleet), fleet.settings);
  expect(JSON.stringify(rendered.inventory)).toContain('"ansible_user":"rasops"');
});
