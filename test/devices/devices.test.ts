/**
 * ras device end to end on a temp copy of the contracts: every certificate and CRL it writes is
 * checked with openssl and strongSwan's pki, the way the gateway and clients will read them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { charonIncompatibility, createDeviceCert, createTenantCa, generateKeyPair, importSigningKey, newSerial, certPem } from '../../devices/ca';
import { x509 } from '../../devices/ca';
import { filesUnder, makeDeviceFixture, openssl, pki, text, type DeviceFixture } from './helpers/fixture';

let fx: DeviceFixture;
let laptop: { serial: string; cert: string; p12: string; password: string; mobileconfig: string };

beforeAll(async () => {
  fx = makeDeviceFixture();
  const r = await fx.run(['issue', ...fx.common(), '--device', 'laptop', '--identity', 'alice@sakura-trading.example', '--server', 'vpn.sakura.example']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const serial = /serial ([0-9a-f]+)/.exec(r.stdout)![1];
  const secret = (ext: string): string => join(fx.secrets, 'sakura-trading', 'devices', 'laptop', `${serial}.${ext}`);
  laptop = { serial, cert: join(fx.pub('sakura-trading'), 'certs', `laptop-${serial}.pem`), p12: secret('p12'), password: secret('p12-password'), mobileconfig: secret('mobileconfig') };
});
afterAll(() => fx.cleanup());

const chain = (): string => join(fx.pub('sakura-trading'), 'ca-chain.pem');
const crl = (): string => join(fx.pub('sakura-trading'), 'crl.pem');
const root = (): string => join(fx.state, 'devices', 'root-ca.pem');
const tenantCa = (): string => {
  const file = join(fx.root, 'tenant-ca.pem');
  writeFileSync(file, text(chain()).split(/(?<=-----END CERTIFICATE-----\n)/)[0]);
  return file;
};
const verify = (cert: string): { code: number; out: string } => openssl(['verify', '-crl_check', '-CRLfile', crl(), '-CAfile', chain(), cert]);
const pkiVerify = (cert: string): { code: number; out: string } => pki(['--verify', '--in', cert, '--cacert', root(), '--cacert', tenantCa(), '--crl', crl()]);

it("the tenant CA: pathlen 0, CA key usage, critical name constraints with only the contract identities' domain", () => {
  const t = openssl(['x509', '-in', tenantCa(), '-noout', '-text']).out;
  expect(t).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
  expect(t).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
  expect(t).toMatch(/Name Constraints: critical/);
  // The mail domain, not each mailbox: charon ANDs subtrees of one type (devices/ca.ts tenantConstraints).
  const permitted = t.slice(t.indexOf('Permitted:'));
  const subtrees = permitted.slice(0, permitted.includes('Excluded:') ? permitted.indexOf('Excluded:') : undefined).split('\n').map((l) => l.trim());
  expect(subtrees).toContain('email:sakura-trading.example');
  expect(t).not.toContain('email:alice@');
  expect(t).toContain('DirName:O = ras-prod, OU = sakura-trading');
  expect(t).not.toContain('minato');
  expect(t).toContain('ASN1 OID: secp384r1');
});

it('a device certificate: ECDSA P-256, at most a year, clientAuth + IKE intermediate, identity and unique device SAN', () => {
  const t = openssl(['x509', '-in', laptop.cert, '-noout', '-text']).out;
  expect(t).toContain('ASN1 OID: prime256v1');
  expect(t).toMatch(/Key Usage: critical\s+Digital Signature/);
  expect(t).toMatch(/Extended Key Usage: \s*\n\s*TLS Web Client Authentication, 1\.3\.6\.1\.5\.5\.8\.2\.2/);
  expect(t).toContain('email:alice@sakura-trading.example, DNS:laptop.sakura-trading.devices.ras-prod.invalid');
  const c = new x509.X509Certificate(text(laptop.cert));
  expect(c.notAfter.getTime() - c.notBefore.getTime()).toBeLessThanOrEqual(365 * 86_400_000);
  expect(verify(laptop.cert)).toMatchObject({ code: 0 });
  const p = pkiVerify(laptop.cert);
  expect(p.out).toContain('certificate trusted, lifetimes valid');
  expect(p.code).toBe(0);
});

it('name constraints are effective: a certificate outside the tenant namespace, signed with the tenant key, fails openssl verify and pki', async () => {
  const caCert = new x509.X509Certificate(text(tenantCa()));
  const key = await importSigningKey(readFileSync(join(fx.secrets, 'sakura-trading', 'device-ca.key'), 'utf8'), 'P-384');
  const keys = await generateKeyPair('P-256');
  const base = { namePrefix: 'ras-prod', tenant: 'sakura-trading', days: 30, serial: newSerial(), publicKey: keys.publicKey, now: new Date() };
  for (const [name, request] of [
    ['other-tenant identity', { ...base, device: 'evil', identity: 'erin@minato-design.example' }],
    ['other tenant namespace', { ...base, tenant: 'minato-design', device: 'evil', identity: 'alice@sakura-trading.example' }],
  ] as const) {
    const file = join(fx.root, `${name.replace(/ /g, '-')}.pem`);
    writeFileSync(file, certPem(await createDeviceCert({ cert: caCert, key }, request)));
    const r = openssl(['verify', '-CAfile', chain(), file]);
    expect(r.out).toMatch(/subtree violation/);
    expect(r.code).not.toBe(0);
    const p = pki(['--verify', '--in', file, '--cacert', root(), '--cacert', tenantCa()]);
    expect(p.out).toMatch(/does not match permitted name constraint/);
    expect(p.code).not.toBe(0);
  }
});

it('refuses an identity the contract does not list and an unsafe device name', async () => {
  const r = await fx.run(['issue', ...fx.common(), '--device', 'x1', '--identity', 'erin@minato-design.example']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('not a member');
  for (const name of ['../etc', 'Laptop', 'a b', 'x<y>']) {
    const bad = await fx.run(['issue', ...fx.common(), '--device', name, '--identity', 'alice@sakura-trading.example']);
    expect(bad.code).toBe(1);
  }
  const host = await fx.run(['issue', ...fx.common(), '--device', 'tab', '--identity', 'alice@sakura-trading.example', '--server', 'a"><x']);
  expect(host.code).toBe(1);
});

it('PKCS#12 readable with its password; .mobileconfig a well-formed plist with the VPN payload', () => {
  const pass = text(laptop.password).trim();
  const info = execFileSync('openssl', ['pkcs12', '-info', '-nokeys', '-in', laptop.p12, '-passin', 'stdin'], { input: `${pass}\n`, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
  expect(info).toContain(`subject=O = ras-prod, OU = sakura-trading, CN = laptop, serialNumber = ${laptop.serial}`);
  const plist = execFileSync(
    'python3',
    ['-c', 'import plistlib,sys,json; p=plistlib.load(open(sys.argv[1],"rb")); v=p["PayloadContent"][1]; print(json.dumps({"t":[x["PayloadType"] for x in p["PayloadContent"]],"ike":v["IKEv2"]["RemoteIdentifier"],"local":v["IKEv2"]["LocalIdentifier"],"enc":v["IKEv2"]["IKESecurityAssociationParameters"]["EncryptionAlgorithm"]}))', laptop.mobileconfig],
  ).toString();
  expect(JSON.parse(plist)).toEqual({ t: ['com.apple.security.pkcs12', 'com.apple.vpn.managed'], ike: 'vpn.sakura.example', local: 'alice@sakura-trading.example', enc: 'AES-256-GCM' });
});

it('suspend, resume, revoke and reissue: openssl -crl_check and pki --crl follow; the CRL has AKI and CRL Number', async () => {
  const phone = await fx.run(['issue', ...fx.common(), '--device', 'phone', '--identity', 'bob@sakura-trading.example', '--curve', 'P-384', '--days', '20']);
  expect(phone.code).toBe(0);
  const phoneSerial = /serial ([0-9a-f]+)/.exec(phone.stdout)![1];
  const phoneCert = join(fx.pub('sakura-trading'), 'certs', `phone-${phoneSerial}.pem`);

  expect((await fx.run(['suspend', ...fx.common(), '--device', 'phone'])).code).toBe(0);
  expect(verify(phoneCert).out).toContain('certificate revoked');
  expect(pkiVerify(phoneCert).code).not.toBe(0);
  expect((await fx.run(['resume', ...fx.common(), '--device', 'phone'])).code).toBe(0);
  expect(verify(phoneCert).code).toBe(0);
  expect(pkiVerify(phoneCert).code).toBe(0);

  expect((await fx.run(['revoke', ...fx.common(), '--device', 'laptop', '--reason', 'keyCompromise'])).code).toBe(0);
  expect(verify(laptop.cert).out).toContain('certificate revoked');
  const p = pkiVerify(laptop.cert);
  expect(p.out).toMatch(/revoked/);
  expect(p.code).not.toBe(0);
  const c = openssl(['crl', '-in', crl(), '-noout', '-text']).out;
  expect(c).toContain('X509v3 Authority Key Identifier');
  expect(c).toMatch(/X509v3 CRL Number: \s*\n\s*\d+/);
  expect(c).toContain('Key Compromise');
  const next = Date.parse(/Next Update: (.*)/.exec(c)![1]);
  expect(next - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
  expect(openssl(['crl', '-in', crl(), '-noout', '-CAfile', chain(), '-verify']).out).toContain('verify OK');

  const again = await fx.run(['reissue', ...fx.common(), '--device', 'laptop']);
  expect(again.code).toBe(0);
  const newSerialHex = /serial ([0-9a-f]+)/.exec(again.stdout)![1];
  expect(newSerialHex).not.toBe(laptop.serial);
  expect(verify(join(fx.pub('sakura-trading'), 'certs', `laptop-${newSerialHex}.pem`)).code).toBe(0);
  expect(verify(laptop.cert).code).not.toBe(0);

  const expiring = await fx.run(['list', ...fx.common(), '--expiring', '30d', '--json']);
  expect((JSON.parse(expiring.stdout) as { device: string }[]).map((r) => r.device)).toEqual(['phone']);
  const all = await fx.run(['list', ...fx.common(), '--json']);
  expect((JSON.parse(all.stdout) as { device: string }[]).map((r) => r.device)).toEqual(['laptop', 'phone']);
});

it('metrics and alert rules: node_exporter text per device; promtool checks the rules and their firing', async () => {
  const m = await fx.run(['metrics', ...fx.common()]);
  expect(m.stdout).toMatch(/^ras_device_certificate_expiry_timestamp_seconds\{tenant="sakura-trading",device="phone",identity="bob@sakura-trading.example",serial="[0-9a-f]+",status="active"\} \d+$/m);
  expect(m.stdout).toMatch(/^ras_device_crl_next_update_timestamp_seconds\{tenant="sakura-trading"\} \d+$/m);
  const rules = (await fx.run(['alert-rules'])).stdout;
  writeFileSync(join(fx.root, 'rules.yml'), rules);
  const promtool = (args: string[]): string => execFileSync('promtool', args, { cwd: fx.root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
  } catch {
    // A missing prerequisite fails: it is the Debian package prometheus (scripts/debian-packages.txt).
    throw new Error('promtool not found: install the Debian package prometheus (scripts/install-deps.sh does)');
  }
  expect(promtool(['check', 'rules', 'rules.yml'])).toContain('SUCCESS');
  // Unit test: expiry in 40 days (t=0) => no alert; 20 days later it is within 30 days => warning.
  writeFileSync(
    join(fx.root, 'rules.test.yml'),
    `rule_files: [rules.yml]
evaluation_interval: 1h
tests:
  - interval: 1h
    input_series:
      - series: 'ras_device_certificate_expiry_timestamp_seconds{tenant="t",device="d",identity="i",serial="01",status="active"}'
        values: '${40 * 86400}x600'
      - series: 'ras_device_crl_next_update_timestamp_seconds{tenant="t"}'
        values: '${7 * 86400}x600'
    alert_rule_test:
      - eval_time: 1d
        alertname: RasDeviceCertificateExpiring
        exp_alerts: []
      - eval_time: 20d
        alertname: RasDeviceCertificateExpiring
        exp_alerts:
          - exp_labels: { severity: warning, tenant: t, device: d, identity: i, serial: '01', status: active }
            exp_annotations:
              summary: 'Device certificate of i (d, tenant t) expires within 30 days'
              description: 'Reissue it: ras device reissue --tenant t --device d'
      - eval_time: 1d
        alertname: RasDeviceCrlStale
        exp_alerts: []
      - eval_time: 6d
        alertname: RasDeviceCrlStale
        exp_alerts:
          - exp_labels: { severity: critical, tenant: t }
            exp_annotations:
              summary: 'The device CRL of tenant t runs out within 2 days: run ras device crl --tenant t'
`,
  );
  expect(promtool(['test', 'rules', 'rules.test.yml'])).toContain('SUCCESS');
});

it('no private key material outside the secrets folder; secrets are 0600', () => {
  for (const f of filesUnder(fx.root).filter((p) => !p.startsWith(fx.secrets))) {
    const content = readFileSync(f);
    expect([f, content.includes('PRIVATE KEY')]).toEqual([f, false]);
    expect([f, /\.(p12|key|mobileconfig)$/.test(f)]).toEqual([f, false]);
  }
  for (const f of filesUnder(fx.secrets)) expect([f, statSync(f).mode & 0o777]).toEqual([f, 0o600]);
});

it('refuses to write keys for an aws-secretsmanager fleet without --secrets', async () => {
  const r = await fx.run(['issue', '--tenant', 'sakura-trading', '--state', fx.state, '--device', 'xx', '--identity', 'alice@sakura-trading.example']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('aws-secretsmanager');
});

it('a tenant without certificate login (kitakaze-logistics) is refused, and nothing is written for it', async () => {
  const r = await fx.run(['issue', ...fx.common('kitakaze-logistics'), '--device', 'dan-pc', '--identity', 'dan@kitakaze.example']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('kitakaze-logistics: the contract\'s gateway.authentication (eap-mschapv2, psk) has no certificate login');
  expect(filesUnder(join(fx.secrets, 'kitakaze-logistics'))).toEqual([]);
  expect(filesUnder(fx.pub('kitakaze-logistics'))).toEqual([]);
  // With certificate login added, its DNS-name identities (scanner01..03) still cannot be constrained for charon (next test).
  const file = join(fx.root, 'tenants', 'kitakaze-logistics.yaml');
  writeFileSync(file, text(file).replace('authentication: [eap-mschapv2, psk]', 'authentication: [certificate, eap-mschapv2, psk]'));
  const again = await fx.run(['issue', ...fx.common('kitakaze-logistics'), '--device', 'dan-pc', '--identity', 'dan@kitakaze.example']);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('kitakaze-logistics: the contract has DNS-name identities besides the device names (3); the gateway\'s strongSwan 5.9 would refuse every device certificate');
  expect(filesUnder(join(fx.secrets, 'kitakaze-logistics'))).toEqual([]);
  expect(filesUnder(fx.pub('kitakaze-logistics'))).toEqual([]);
  writeFileSync(file, text(file).replace('authentication: [certificate, eap-mschapv2, psk]', 'authentication: [eap-mschapv2, psk]'));
});

/*
 * Why a tenant with DNS-name identities (kitakaze-logistics' scanner01..03) cannot have a device CA
 * while the gateways run strongSwan 5.9: measured with the real verifiers, not assumed. Its
 * identities are bare host names with no common suffix, so no single DNS subtree holds them; with
 * one subtree per name openssl (RFC 5280: any one subtree) accepts the scanner's certificate and
 * strongSwan's pki (5.9: every subtree of the type) refuses it, and refuses the mailbox owner's
 * device too (its device DNS name is not "scanner01"). With one DNS subtree (the device names) and
 * the mail domain, both verifiers accept the mailbox device and both refuse the scanner.
 */
it("strongSwan 5.9 ANDs permitted subtrees of one type: a kitakaze-shaped CA's certificates pass openssl, not pki", async () => {
  const rootCert = new x509.X509Certificate(text(root()));
  const rootKey = await importSigningKey(readFileSync(join(fx.secrets, '_fleet', 'device-root-ca.key'), 'utf8'), 'P-384');
  const tenant = 'kitakaze-logistics';
  const verifyWith = async (identities: string[], identity: string, device: string): Promise<{ openssl: number; pki: { code: number; out: string } }> => {
    const caKeys = await generateKeyPair('P-384');
    const caCert = await createTenantCa({ cert: rootCert, key: rootKey }, 'ras-prod', tenant, identities, caKeys.publicKey, new Date());
    const keys = await generateKeyPair('P-256');
    const cert = await createDeviceCert({ cert: caCert, key: caKeys.privateKey }, { namePrefix: 'ras-prod', tenant, device, identity, days: 30, serial: newSerial(), publicKey: keys.publicKey, now: new Date() });
    const dir = join(fx.root, `nc-${device}-${identities.length}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'ca.pem'), certPem(caCert));
    writeFileSync(join(dir, 'chain.pem'), `${certPem(caCert)}${text(root())}`);
    writeFileSync(join(dir, 'device.pem'), certPem(cert));
    return {
      openssl: openssl(['verify', '-CAfile', join(dir, 'chain.pem'), join(dir, 'device.pem')]).code,
      pki: pki(['--verify', '--in', join(dir, 'device.pem'), '--cacert', root(), '--cacert', join(dir, 'ca.pem')]),
    };
  };
  const all = ['scanner01', 'scanner02', 'scanner03', 'dan@kitakaze.example'];
  expect(charonIncompatibility('ras-prod', tenant, all)).toBe('the contract has DNS-name identities besides the device names (3)');
  const scanner = await verifyWith(all, 'scanner01', 'scanner01');
  expect(scanner.openssl).toBe(0);
  expect(scanner.pki.code).not.toBe(0);
  expect(scanner.pki.out).toMatch(/does not match permitted name constraint 'scanner0\d'/);
  const dan = await verifyWith(all, 'dan@kitakaze.example', 'dan-pc');
  expect(dan.openssl).toBe(0);
  expect(dan.pki.code).not.toBe(0);
  expect(dan.pki.out).toMatch(/does not match permitted name constraint 'scanner0\d'/);
  // One DNS subtree (the device names) plus the mail domain: what charon can use.
  const danOnly = await verifyWith(['dan@kitakaze.example'], 'dan@kitakaze.example', 'dan-pc');
  expect({ openssl: danOnly.openssl, pki: danOnly.pki.code }).toEqual({ openssl: 0, pki: 0 });
  const scannerOutside = await verifyWith(['dan@kitakaze.example'], 'scanner01', 'scanner01');
  expect(scannerOutside.openssl).not.toBe(0);
  expect(scannerOutside.pki.code).not.toBe(0);
});
