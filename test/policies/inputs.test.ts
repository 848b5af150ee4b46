/** Reading the rendered files: Ansible's variable precedence, unsafe-tagged strings, portal shape; the suppressions file. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readGatewayVariables } from '../../policies/inputs/read';
import { portalInput } from '../../output/portal';
import { ISO27017_PACK } from '../../policies/packs/iso27017';
import { checkSuppressions, loadSuppressions } from '../../policies/suppressions';
import { REPO } from '../helpers/workspace';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-inputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

test('role defaults < group_vars/all < group_vars/<group> < host_vars, each value traced to its file', () => {
  write('roles/strongswan/defaults/main.yml', 'strongswan_crypto_profile: strong\nstrongswan_crypto_profiles:\n  strong:\n    ike: [aes256-sha256-modp2048]\ntime_timezone: UTC\n');
  write('stack/ansible/group_vars/all.yml', 'time_timezone: Asia/Tokyo\nstrongswan_legacy_opt_in: true\n');
  write('stack/ansible/group_vars/ras_gateways.yml', 'strongswan_legacy_opt_in: false\n');
  write('stack/ansible/host_vars/t-gateway.yml', 'strongswan_ikev2_enabled: true\ntime_ntp_servers: [!unsafe "ntp.nict.jp"]\n');
  const vars = readGatewayVariables(join(dir, 'stack'), join(dir, 'roles'));
  expect(vars).toMatchObject({
    cryptoProfile: 'strong',
    legacyOptIn: false,
    timezone: 'Asia/Tokyo',
    ntpServers: ['ntp.nict.jp'],
    protocols: { ikev2: true, l2tpIpsec: undefined, pptp: undefined },
    proposals: ['aes256-sha256-modp2048'],
  });
  expect(vars?.origin).toMatchObject({
    // Named from the roles folder down, not by where the checkout sits (reports read the same everywhere).
    strongswan_crypto_profile: join(basename(dir), 'roles/strongswan/defaults/main.yml'),
    time_timezone: 'ansible/group_vars/all.yml',
    strongswan_legacy_opt_in: 'ansible/group_vars/ras_gateways.yml',
    time_ntp_servers: 'ansible/host_vars/t-gateway.yml',
  });
});

test('no ansible/ folder, or no variable files in it, means not rendered', () => {
  mkdirSync(join(dir, 'stack'));
  expect(readGatewayVariables(join(dir, 'stack'))).toBeUndefined();
  write('stack/ansible/inventory.yml', 'all: {}\n');
  expect(readGatewayVariables(join(dir, 'stack'))).toBeUndefined();
});

test('portal settings of the wrong shape are kept as the reason they cannot be judged', () => {
  expect(portalInput({ twoFactorRequired: true, allowedSourceCidrs: [], lockoutThreshold: 3, operators: [{ id: 'a', role: 'viewer', emailRegistered: true }] })).toHaveProperty('settings');
  expect(portalInput({ twoFactorRequired: 1, allowedSourceCidrs: 'x', operators: [{}] })).toEqual({
    missing: 'portal.json: twoFactorRequired is not a boolean; allowedSourceCidrs is not a list of strings; lockoutThreshold is not a number; operators is not a list of {id, role, emailRegistered}',
  });
});

const IDS = ISO27017_PACK.map((e) => e.id);
const good = { rule: 'GatewayRequiresImdsV2', tenant: 'sakura-trading', resource: 'aws_instance.X', reason: 'Replaced by the new gateway on 2026-12-01.' };

test('the committed suppressions file is valid', () => {
  expect(loadSuppressions(join(REPO, 'policies', 'suppressions.yaml'), IDS)).toEqual([]);
});

test('suppressions: a valid entry passes; duplicates, missing reasons and unknown fields are refused', () => {
  expect(checkSuppressions({ suppressions: [good] }, IDS)).toEqual({ suppressions: [good], problems: [] });
  expect(checkSuppressions({ suppressions: [good, good] }, IDS).problems).toEqual(['/suppressions/1: same rule, tenant and resource as /suppressions/0']);
  expect(checkSuppressions({ suppressions: [{ ...good, reason: undefined }] }, IDS).problems[0]).toContain("must have required property 'reason'");
  expect(checkSuppressions({ suppressions: [{ ...good, everything: true }] }, IDS).problems[0]).toContain('must NOT have additional properties');
  expect(checkSuppressions({ suppressions: [{ ...good, rule: 'Gateway*' }] }, IDS).problems[0]).toContain('/suppressions/0/rule');
  expect(checkSuppressions({}, IDS).problems[0]).toContain("must have required property 'suppressions'");
});
