/**
 * Gateway Type B end to end: the relay role converged on a real Debian root filesystem (only
 * what the relay needs: the relay role, not the whole gateway playbook; the converged image is
 * cached keyed by the Ansible files and the rendered variables), squid started from it in the
 * gateway's network namespace, a browser stand-in (curl) in a client namespace and a customer
 * web server in the backbone namespace. Device certificates are real `ras device` certificates
 * of the tsubame-travel contract's identities.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadFleet } from '../../contract/load';
import type { TenantModel } from '../../contract/model';
import { writeGatewayConfig } from '../../gateway-config';
import { ANSIBLE_DIR, recap, REPO } from './lib/converge';
import { missingPrerequisites } from './lib/prerequisites';
import { CACHE_DIR, ensureCachedRootfs, Rootfs } from './lib/rootfs';
import { CLEAN_ENV, Daemons, must, run, waitFor } from './lib/run';

const TENANT = 'tsubame-travel';
const NS = { gw: 'rly-gw', client: 'rly-cl', backbone: 'rly-bb' } as const;
const GW = '198.51.100.1';
const CLIENT = '198.51.100.20';
const BOOKING = '172.18.10.20'; // booking-web: counter-staff may reach it on 443
const ACCOUNTING = '172.18.20.5'; // accounting-web: back-office only (80, 8443)

let tmp: string;
let rootfs: Rootfs;
const daemons = new Daemons();
const nsCreated: string[] = [];
let dana: { cert: string; key: string };
let firstConverge: { changed: number; ms: number };
let secondConverge: { changed: number; failed: number; out: string; ms: number };

function device(args: string[]): string {
  const r = must([process.execPath, join(REPO, 'test', 'devices', 'helpers', 'device-cli.js'), ...args, '--state', join(tmp, 'state'), '--secrets', join(tmp, 'secrets'), '--fleet', join(REPO, 'fleet.yaml'), '--tenants', join(REPO, 'tenants')]);
  return r.stdout;
}

function ns(name: string): void {
  must(['ip', 'netns', 'add', name]);
  nsCreated.push(name);
  must(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
}

function link(a: string, aIf: string, aAddr: string, b: string, bIf: string, bAddr: string): void {
  must(['ip', '-n', a, 'link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf, 'netns', b]);
  for (const [n, i, addr] of [[a, aIf, aAddr], [b, bIf, bAddr]]) {
    must(['ip', '-n', n, 'addr', 'add', addr, 'dev', i]);
    must(['ip', '-n', n, 'link', 'set', i, 'up']);
  }
}

/** Runs a playbook against the root filesystem over the chroot connection. */
function converge(inventory: string, lines: readonly string[]): { changed: number; failed: number; out: string; ms: number } {
  const play = join(tmp, `play-${Date.now()}.yml`);
  writeFileSync(play, `${lines.join('\n')}\n`);
  const r = run(['ansible-playbook', '-i', inventory, '-e', 'ansible_connection=community.general.chroot', '-e', `ansible_host=${rootfs.dir}`, '-e', 'ansible_become=false', play], {
    cwd: ANSIBLE_DIR,
    env: { ...CLEAN_ENV, HOME: process.env.HOME ?? '/root', ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_ROLES_PATH: join(ANSIBLE_DIR, 'roles') },
    timeoutMs: 900_000,
  });
  const out = r.stdout + r.stderr;
  if (!/PLAY RECAP/.test(out)) return { changed: 0, failed: 1, out, ms: r.ms };
  return { ...recap(out), out, ms: r.ms };
}

/** curl through the relay from the client namespace, as the dedicated browser would. */
function fetch(url: string, withCert: boolean): { status: number; out: string } {
  const cert = withCert ? ['--proxy-cert', dana.cert, '--proxy-key', dana.key] : [];
  const r = run(['ip', 'netns', 'exec', NS.client, 'curl', '-sS', '-m', '10', '-o', '-', '-w', '\nHTTP %{http_code}\n', '--proxy', `https://${GW}:443`, '--proxy-cacert', join(tmp, 'relay-cert.pem'), ...cert, '--proxytunnel', url]);
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new Error(`missing prerequisites: ${missing.join(', ')}`);
  tmp = mkdtempSync(join(tmpdir(), 'ras-relay-e2e-'));
  // Real device certificates for two contract identities of the Type B example.
  const serial = /serial ([0-9a-f]+)/.exec(device(['issue', '--tenant', TENANT, '--device', 'counter-1', '--identity', 'dana@tsubame-travel.example']))![1];
  dana = { cert: join(tmp, 'state', 'devices', 'public', TENANT, 'certs', `counter-1-${serial}.pem`), key: join(tmp, 'secrets', TENANT, 'devices', 'counter-1', `${serial}.key`) };
  device(['issue', '--tenant', TENANT, '--device', 'office-1', '--identity', 'fumi@tsubame-travel.example']);
  // The relay's own TLS identity, in the file secret store the role reads.
  const secrets = join(tmp, 'secrets', TENANT);
  must(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=relay.tsubame.test', '-addext', `subjectAltName=IP:${GW}`, '-days', '2', '-keyout', join(secrets, 'gateway-key'), '-out', join(secrets, 'gateway-cert')]);
  writeFileSync(join(tmp, 'relay-cert.pem'), readFileSync(join(secrets, 'gateway-cert')));
  const loaded = loadFleet({ fleetFile: join(REPO, 'fleet.yaml'), tenantsDir: join(REPO, 'tenants') });
  const fleet = { ...loaded.settings, secretStore: { kind: 'file' as const, pathPrefix: join(tmp, 'secrets') } };
  const tenant = loaded.tenants.find((t) => t.id === TENANT) as TenantModel;
  const stack = join(tmp, 'stack');
  writeGatewayConfig(stack, tenant, fleet, { stateDir: join(tmp, 'state') });

  // Converge only what the relay needs. The packages are installed once into a cached image
  // (keyed by the relay role's defaults, where its package list is); the relay role itself runs
  // on every test run (its certificates and CA are new each time), then again for idempotence.
  ensureCachedRootfs();
  const packages = (parse(readFileSync(join(ANSIBLE_DIR, 'roles', 'relay', 'defaults', 'main.yml'), 'utf8')) as { relay_packages: string[] }).relay_packages;
  const packaged = join(CACHE_DIR, `relay-packages-${createHash('sha256').update(JSON.stringify(packages)).digest('hex').slice(0, 16)}.tar`);
  rootfs = new Rootfs(join(tmp, 'rootfs'));
  const inventory = join(stack, 'ansible', 'inventory.yml');
  if (existsSync(packaged)) {
    rootfs.create(packaged);
  } else {
    rootfs.create();
    const install = converge(inventory, [
      '- name: Install what the relay needs',
      '  hosts: ras_gateways',
      '  gather_facts: false',
      '  tasks:',
      '    - name: Ensure python3 and the relay packages are installed',
      '      ansible.builtin.raw: >-',
      '        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends',
      '        python3 python3-apt {{ relay_packages | join(" ") }} >/dev/null',
      '      vars:',
      `        relay_packages: ${JSON.stringify(packages)}`,
    ]);
    if (install.failed !== 0) throw new Error(`package install failed:\n${install.out.slice(-4000)}`);
    mkdirSync(CACHE_DIR, { recursive: true });
    must(['tar', '-C', rootfs.dir, '--exclude=./proc/*', '--exclude=./dev/*', '--exclude=./run/*', '-cf', `${packaged}.tmp`, '.']);
    renameSync(`${packaged}.tmp`, packaged);
  }
  const relayPlay = [
    '- name: Converge the relay',
    '  hosts: ras_gateways',
    '  gather_facts: false',
    '  vars:',
    '    ras_packages_installed: false',
    '  pre_tasks:',
    '    - name: Ensure the firewall fragment folder exists (the hardening role makes it on a gateway)',
    '      ansible.builtin.file: { path: /etc/nftables.d, state: directory, mode: "0755" }',
    '  roles: [relay]',
    '  handlers:',
    '    - name: Firewall stub (the hardening role checks and loads the rule set on a gateway)',
    '      ansible.builtin.debug: { msg: firewall changed }',
    '      listen: ras firewall changed',
  ];
  const first = converge(inventory, relayPlay);
  if (first.failed !== 0) throw new Error(`relay converge failed:\n${first.out.slice(-4000)}`);
  firstConverge = first;
  secondConverge = converge(inventory, relayPlay);

  // client ── gw (squid) ── backbone (customer web servers)
  for (const n of Object.values(NS)) ns(n);
  link(NS.client, 'eth0', `${CLIENT}/24`, NS.gw, 'inet', `${GW}/24`);
  link(NS.gw, 'bb', '10.99.0.1/24', NS.backbone, 'eth0', '10.99.0.2/24');
  for (const h of [BOOKING, ACCOUNTING]) must(['ip', '-n', NS.backbone, 'addr', 'add', `${h}/32`, 'dev', 'eth0']);
  for (const h of ['172.18.10.0/24', '172.18.20.0/24']) must(['ip', '-n', NS.gw, 'route', 'add', h, 'via', '10.99.0.2']);
  const www = join(tmp, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), 'booking page of tsubame\n');
  for (const port of ['443', '8443']) daemons.start(`web-${port}`, ['ip', 'netns', 'exec', NS.backbone, 'python3', '-m', 'http.server', '--bind', '0.0.0.0', '--directory', www, port], join(tmp, `web-${port}.log`));
  // squid's shared memory segments (POSIX shm): the harness's private /dev has no /dev/shm of its own.
  mkdirSync(rootfs.path('dev/shm'), { mode: 0o1777 });
  chmodSync(rootfs.path('dev/shm'), 0o1777);
  // squid in the foreground, from the converged root filesystem, its clock in the gateway's zone.
  daemons.start('squid', rootfs.inNs(NS.gw, ['/usr/sbin/squid', '-N', '-f', '/etc/squid/squid.conf']), join(tmp, 'squid.log'), { ...CLEAN_ENV, TZ: 'Asia/Tokyo' });
  try {
    await waitFor('squid listening on 443', 30_000, () => (run(['ip', 'netns', 'exec', NS.gw, 'ss', '-ltn', 'sport = :443']).stdout.includes(':443') ? true : undefined));
  } catch (e) {
    const cacheLog = rootfs.path('var/log/squid/cache.log');
    throw new Error(`${String(e)}\nsquid output:\n${readFileSync(join(tmp, 'squid.log'), 'utf8').slice(-3000)}\ncache.log:\n${existsSync(cacheLog) ? readFileSync(cacheLog, 'utf8').slice(-3000) : '(none)'}`, { cause: e });
  }
}, 1_200_000);

afterAll(async () => {
  await daemons.stopAll();
  for (const n of nsCreated.reverse()) run(['ip', 'netns', 'del', n]);
  const problems = rootfs?.destroy() ?? [];
  if (problems.length === 0 && tmp !== undefined) run(['rm', '-rf', '--one-file-system', tmp]);
});

function relayLog(stream: 'connection' | 'access' | 'auth'): string {
  const file = rootfs.path(`var/log/squid/ras-relay-${stream}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

test('the relay role converges, and a second run changes nothing', () => {
  console.log(`relay converge: first ${firstConverge.ms} ms (changed=${firstConverge.changed}), second ${secondConverge.ms} ms`);
  expect(firstConverge.changed).toBeGreaterThan(0);
  expect({ changed: secondConverge.changed, failed: secondConverge.failed }).toEqual({ changed: 0, failed: 0 });
});

test('a relay user with a valid device certificate fetches a page from an allowed internal host', async () => {
  const r = fetch(`http://${BOOKING}:443/`, true);
  expect(r.out).toContain('booking page of tsubame');
  expect(r.out).toContain('HTTP 200');
  const line = await waitFor('the allowed request in the access stream', 10_000, () => relayLog('access').split('\n').find((l) => l.includes(`destination=${BOOKING}:443`)));
  expect(line).toMatch(/user=dana@tsubame-travel\.example group=counter-staff decision=allowed rule=counter-staff-booking-web-https method=CONNECT/);
  // JST time stamps (the gateway's zone).
  expect(line).toMatch(/^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0900 /);
  expect(relayLog('auth')).toMatch(/user=dana@tsubame-travel\.example subject="[^"]*CN=counter-1/);
});

test('without a client certificate the TLS handshake is refused', () => {
  const r = fetch(`http://${BOOKING}:443/`, false);
  expect(r.status).not.toBe(0);
  expect(r.out).not.toContain('booking page');
  // Under TLS 1.3 the server's refusal comes after the client's Finished: curl
  // reads either the alert or, when the close wins the race, a reset. Both are
  // the handshake refused; a page or an HTTP status would not be.
  expect(r.out).toMatch(/alert|handshake|certificate required|SSL|TLS|reset by peer/i);
  expect(r.out).toMatch(/HTTP 000/);
});

test('a destination outside the user group\'s routes is refused and logged with the user', async () => {
  const r = fetch(`http://${ACCOUNTING}:8443/`, true);
  expect(r.out).not.toContain('booking page');
  expect(r.out).toMatch(/403/);
  const line = await waitFor('the refusal in the access stream', 10_000, () => relayLog('access').split('\n').find((l) => l.includes(`destination=${ACCOUNTING}:8443`)));
  expect(line).toMatch(/user=dana@tsubame-travel\.example group=counter-staff decision=denied rule=- method=CONNECT .*result=TCP_DENIED/);
});
