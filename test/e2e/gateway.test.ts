/**
 * End to end: the generated playbook converges a real Debian root filesystem over the chroot
 * connection, then the gateway's own daemons run from it in network namespaces and real
 * clients prove what the contract promises (tenants/sakura-trading.yaml). Root only; a missing
 * prerequisite fails the suite. Cleanup (daemons, namespaces, mounts) runs even on failure.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, cpSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadavg } from 'node:os';
import { loadFleet } from '../../contract/load';
import type { FleetSettings } from '../../contract/types';
import type { TenantModel } from '../../contract/model';
import { LOG_STREAMS, COMBINED_DOWNLOAD_PREFIX } from '../../commitments';
import { GATEWAY, IKE_ATTEMPTS, NODE, STRONGSWAN } from '../../monitoring/metrics';
import { writeGatewayConfig } from '../../gateway-config';
import { missingPrerequisites } from './lib/prerequisites';
import { ensureCachedRootfs, Rootfs } from './lib/rootfs';
import { CLEAN_ENV, Daemons, must, run, sleep, waitFor } from './lib/run';
import { ADDR, Topology } from './lib/topology';
import { randomSecret, TestPki, writeSecretStore } from './lib/pki';
import { VpnClient } from './lib/vpn-client';
import { ANSIBLE_DIR, playbook as runPlaybook, recap, REPO, type PlaybookRun } from './lib/converge';
import * as ca from '../../devices/ca';

const TENANT = 'sakura-trading';
const ALICE = 'alice@sakura-trading.example'; // engineering: intranet-web web, dev-servers ssh
const CAROL = 'carol@sakura-trading.example'; // sales: intranet-web web
const [WEB_HOST, DEV_HOST] = ADDR.customerHosts;
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+09:00 /;

const figures: Record<string, number | string> = {};
const daemons = new Daemons();
let tmp: string;
let rootfs: Rootfs;
let topo: Topology;
let tenant: TenantModel;
let fleet: FleetSettings;
let inventory: string;
let alice: VpnClient;
let carol: VpnClient;
let probe: VpnClient;
let win: VpnClient;
let rogue: VpnClient;
let aliceRevoked: { cert: string; key: string };
/** Current serial of each e2e device (ras device). */
const devices: Record<'laptop' | 'tablet', string> = { laptop: '', tablet: '' };
/** Every attempt this run expects the gateway to refuse: one ras-auth record each. */
const expectedRefusals: { peer: string; reason: string; identity?: string }[] = [];
const BOB = 'bob@sakura-trading.example'; // engineering, EAP from a Windows-like client
const DAVE = 'dave@sakura-trading.example'; // engineering, closed mobile only (a carrier SIM phone)
/** Dave's phone: behind the carrier's NAT (a carrier range of the contract), and the same identity tried from the internet. */
const CARRIER_DEVICE = '100.64.0.20';
const DAVE_INTERNET = '198.51.100.20';
/** Stock Windows (default): 3DES first, AES-256 later, SHA-1/SHA-256, MODP-1024 only; ESP SHA-1 only. */
const WINDOWS_DEFAULT = '3des-sha1-modp1024, aes256-sha1-modp1024, 3des-sha256-modp1024, aes256-sha256-modp1024, aes128-sha1-modp1024';
/** The same with NegotiateDH2048_AES256 = 1: AES-256/MODP-2048 added after the default proposals. */
const WINDOWS_3DES_FIRST = `${WINDOWS_DEFAULT}, aes256-sha256-modp2048`;
const WINDOWS_ESP = '3des-sha1, aes256-sha1, aes128-sha1';
const passwords: Record<string, string> = {};
/** Set by each stage; a later stage fails at once (loudly) when an earlier one did not finish. */
const reached = { converged: false, running: false };

function requireStage(stage: keyof typeof reached): void {
  if (!reached[stage]) throw new Error(`not run: the earlier stage "${stage}" failed`);
}

function playbook(inventoryFile = inventory, extra: readonly string[] = []): PlaybookRun {
  return runPlaybook(rootfs.dir, inventoryFile, extra);
}

/**
 * Device certificates (ras device): the product's own command, run from the sources, on a state
 * folder and a file secret store of this run.
 */
const DEVICE_PEERS = { laptop: '198.51.100.17', tablet: '198.51.100.18', intruder: '198.51.100.19' };
/** The stated bound: from `ras device revoke` to the revoked device's IKE_SA gone from the gateway, the push included. */
const REVOCATION_CUT_BOUND_MS = 60_000;
const deviceState = (): string => join(tmp, 'state');

function rasDevice(args: readonly string[]): { serial: string; out: string } {
  const r = must([process.execPath, join(REPO, 'test', 'devices', 'helpers', 'device-cli.js'), ...args, '--state', deviceState(), '--secrets', join(tmp, 'secrets'), '--fleet', join(REPO, 'fleet.yaml'), '--tenants', join(REPO, 'tenants')], {
    cwd: REPO,
    env: { ...process.env },
  });
  return { serial: /serial ([0-9a-f]+)/.exec(r.stdout)?.[1] ?? '', out: r.stdout };
}

/** A device's certificate (public records) and key (secret store), as files a client loads. */
function deviceFiles(tenantId: string, device: string, serial: string): { cert: string; key: string } {
  return { cert: join(deviceState(), 'devices', 'public', tenantId, 'certs', `${device}-${serial}.pem`), key: join(tmp, 'secrets', tenantId, 'devices', device, `${serial}.key`) };
}

/**
 * The revocation push: synth's rendering of the tenant's gateway variables from the device
 * records, then the playbook (`--tags ras-devices`: CRL, CA, blocked list and the session step;
 * `full`: the whole playbook). Returns the rendered host variables.
 */
function pushDevices(full: boolean): string {
  const written = writeGatewayConfig(join(tmp, 'stack'), tenant, fleet, { stateDir: deviceState() });
  const r = playbook(written.inventoryFile, full ? [] : ['--tags', 'ras-devices']);
  if (r.status !== 0) throw new Error(`device push failed:\n${r.out.slice(-6000)}`);
  return readFileSync(written.hostVarsFile, 'utf8');
}

/** The gateway's established IKE_SAs, by remote identity. */
function gatewaySas(): Map<string, string> {
  const out = gw(['swanctl', '--list-sas', '--noblock']).stdout;
  const sas = new Map<string, string>();
  let uid: string | undefined;
  for (const line of out.split('\n')) {
    const head = /^\S+: #(\d+), ESTABLISHED/.exec(line);
    if (head) uid = head[1];
    else if (/^\S/.test(line)) uid = undefined;
    const remote = /^\s+remote\s+'([^']*)'/.exec(line);
    if (remote && uid !== undefined) sas.set(remote[1], uid);
  }
  return sas;
}

function gw(argv: string[]): ReturnType<typeof run> {
  return run(rootfs.inNs(topo.gw, argv));
}

/**
 * Polls `check` (undefined: answering; otherwise why not) while the daemon `pid` lives. The
 * result is `true`, or what went wrong with the end of the daemon's own log, so one failed
 * expectation names every daemon that is down.
 */
async function answering(pid: number, log: string, timeoutMs: number, check: () => string | undefined): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  const tail = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join(' | ') : '(no log)');
  for (;;) {
    if (!daemons.alive(pid)) return `exited; ${basename(log)}: ${tail()}`;
    let why: string | undefined;
    try {
      why = check();
    } catch (e) {
      why = String(e);
    }
    if (why === undefined) return daemons.alive(pid) ? true : `answered, then exited; ${basename(log)}: ${tail()}`;
    if (Date.now() > deadline) return `running but not answering after ${timeoutMs} ms: ${why}`;
    await sleep(250);
  }
}

/** Why a finished command does not count as an answer, or undefined when it does. */
function unless(r: ReturnType<typeof run>, ok: (stdout: string) => boolean): string | undefined {
  return r.status === 0 && ok(r.stdout) ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).trim().slice(-400)}`;
}

/** One NTP client request (mode 3) from inside `ns`; prints the reply's mode and stratum. */
const NTP_QUERY = [
  'import socket, sys',
  's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
  's.settimeout(2)',
  's.sendto(b"\\x23" + bytes(47), (sys.argv[1], 123))',
  'd = s.recv(512)',
  'print(f"mode={d[0] & 7} stratum={d[1]}")',
].join('\n');

/** From inside a namespace to argv[1]: three UDP datagrams, a TCP connect, two ICMP echoes (raw socket: this machine has no ping). */
const CARRIER_PROBES = [
  'import socket, struct, sys',
  'target = sys.argv[1]',
  'u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
  'for _ in range(3): u.sendto(b"from-the-carrier", (target, 9999))',
  'try:',
  '    socket.create_connection((target, 443), timeout=2)',
  'except OSError:',
  '    pass',
  'def checksum(b):',
  '    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))',
  '    s = (s >> 16) + (s & 0xffff)',
  '    return ~(s + (s >> 16)) & 0xffff',
  'echo = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"from-the-carrier"',
  'echo = echo[:2] + struct.pack("!H", checksum(echo)) + echo[4:]',
  'r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)',
  'for _ in range(2): r.sendto(echo, (target, 0))',
].join('\n');

/** Connects to each host:port given and prints what each one said first. */
const TCP_HELLO = [
  'import socket, sys',
  'for target in sys.argv[1:]:',
  '    host, port = target.rsplit(":", 1)',
  '    with socket.create_connection((host, int(port)), timeout=2) as c:',
  '        print(f"{target} {c.recv(16).decode().strip()}")',
].join('\n');

function logFile(id: string): string {
  const p = rootfs.path(`var/log/ras/${id}.log`);
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

/** The algorithms a client's `swanctl --initiate` output says were selected, IKE and ESP. */
function negotiated(out: string): { ike?: string; esp?: string } {
  return {
    ike: /selected proposal: IKE:(\S+)/.exec(out)?.[1],
    esp: /selected proposal: ESP:(\S+?)(\/NO_EXT_SEQ)?$/m.exec(out)?.[1],
  };
}

/** The ras-auth records of the device-authentication stream, as key=value maps. */
function authRecords(): Record<string, string>[] {
  return logFile('device-authentication')
    .split('\n')
    .filter((l) => / ras-auth: /.test(l))
    .map((l) => {
      const rec: Record<string, string> = {};
      for (const m of l.slice(l.indexOf(' ras-auth: ') + 11).matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) rec[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
      return rec;
    });
}

beforeAll(() => {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new Error(`end-to-end prerequisites missing (run scripts/install-deps.sh as root): ${missing.join(', ')}`);
  figures.debootstrapMs = ensureCachedRootfs();
  tmp = mkdtempSync('/var/tmp/ras-e2e-');
  rootfs = new Rootfs(join(tmp, 'root'));
  rootfs.create();
  topo = new Topology(`e2e${process.pid % 100000}-`);

  const loaded = loadFleet({ fleetFile: join(REPO, 'fleet.yaml'), tenantsDir: join(REPO, 'tenants') });
  tenant = loaded.tenants.find((t) => t.id === TENANT) as TenantModel;
  // Test-only fleet overrides: the NTP server in the backbone namespace and a file secret store.
  fleet = { ...loaded.settings, ntpServers: [ADDR.backbone], secretStore: { kind: 'file', pathPrefix: join(tmp, 'secrets') } };

  const pki = new TestPki(join(tmp, 'pki'));
  const gateway = pki.issue('gateway', 'vpn.sakura-trading.test', ['serverAuth', 'ikeIntermediate']);
  for (const u of tenant.contract.accessControl.userGroups.flatMap((g) => g.members)) passwords[u] = randomSecret();
  writeSecretStore(join(tmp, 'secrets', TENANT), pki, gateway, passwords, randomSecret());
  (globalThis as Record<string, unknown>).rasPki = pki;
  inventory = writeGatewayConfig(join(tmp, 'stack'), tenant, fleet).inventoryFile;
}, 900_000);

/** The two converges' output with profile_tasks' per-task timings, kept with the figures. */
function keepConvergeLogs(first: string, second: string): void {
  mkdirSync(join(REPO, 'test-results'), { recursive: true });
  writeFileSync(join(REPO, 'test-results', 'converge-first.log'), first);
  writeFileSync(join(REPO, 'test-results', 'converge-rerun.log'), second);
}

/** Keeps the daemons', clients' and gateway's logs with the test results (CI artifacts). */
function keepLogs(): void {
  const dest = join(REPO, 'test-results', 'gateway-e2e-logs');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const [from, to] of [
    [join(tmp, 'daemons'), 'daemons'],
    [join(tmp, 'clients'), 'clients'],
    [rootfs?.path('var/log/ras'), 'gateway-streams'],
    [rootfs?.path('var/log/charon-e2e.log'), 'gateway-charon.log'],
    [rootfs?.path('var/log/ras-auth-feed-e2e.log'), 'gateway-ras-auth-feed.log'],
  ] as const) {
    if (from && existsSync(from)) cpSync(from, join(dest, to), { recursive: true, filter: (src) => !/\.(key|vici)$|swanctl\.conf$/.test(src) });
  }
}

afterAll(async () => {
  const problems: string[] = [];
  await daemons.stopAll();
  if (tmp) keepLogs();
  if (topo) problems.push(...topo.destroy());
  if (rootfs) problems.push(...rootfs.destroy());
  if (tmp && problems.length === 0) rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(REPO, 'test-results'), { recursive: true });
  writeFileSync(join(REPO, 'test-results', 'gateway-e2e-figures.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`gateway e2e figures: ${JSON.stringify(figures)}`);
  if (problems.length > 0) throw new Error(`cleanup problems:\n${problems.join('\n')}`);
}, 120_000);

describe('gateway configuration, end to end', () => {
  test('ansible-lint (production profile) and syntax check are clean', () => {
    const env = { ...CLEAN_ENV, HOME: process.env.HOME ?? '/root', ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' };
    const lint = run(['ansible-lint', '--offline', '--profile', 'production', '--nocolor'], { cwd: ANSIBLE_DIR, env });
    expect({ status: lint.status, out: lint.stdout + lint.stderr }).toEqual(expect.objectContaining({ status: 0 }));
    const syntax = run(['ansible-playbook', '-i', inventory, '--syntax-check', 'site.yml'], { cwd: ANSIBLE_DIR, env });
    expect(syntax.status).toBe(0);
  });

  test('the generated playbook converges the root filesystem, and a second run changes nothing', () => {
    const first = playbook();
    if (first.status !== 0) throw new Error(`first converge failed:\n${first.out.slice(-8000)}`);
    figures.firstConvergeMs = first.ms;
    figures.firstConvergeCpuMs = first.cpuMs;
    expect(recap(first.out).failed).toBe(0);
    const second = playbook();
    figures.idempotentRerunMs = second.ms;
    figures.idempotentRerunCpuMs = second.cpuMs;
    figures.loadAverage1m = loadavg()[0];
    keepConvergeLogs(first.out, second.out);
    expect(second.status).toBe(0);
    const r = recap(second.out);
    if (r.changed !== 0) throw new Error(`second run changed ${r.changed} tasks:\n${second.out.split('\n').filter((l) => l.startsWith('changed')).join('\n')}`);
    expect(r).toEqual({ changed: 0, failed: 0 });
    // No secret reached the rendered variables.
    const vars = readFileSync(join(tmp, 'stack', 'ansible', 'host_vars', `${TENANT}-gateway.yml`), 'utf8');
    for (const p of Object.values(passwords)) expect(vars).not.toContain(p);
    expect(vars).not.toContain('PRIVATE KEY');
    reached.converged = true;
  }, 1_500_000);

  test('the gateway daemons start from the converged root filesystem', async () => {
    requireStage('converged');
    // Harness only: this kernel has no ESP, so charon uses user-space ESP (kernel-libipsec).
    must(['chroot', rootfs.dir, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'libcharon-extra-plugins'], { env: { ...CLEAN_ENV, DEBIAN_FRONTEND: 'noninteractive' } });
    // Plus a detailed charon log for diagnosis.
    writeFileSync(
      rootfs.path('etc/strongswan.d/zz-e2e-harness.conf'),
      'charon {\n  plugins {\n    kernel-libipsec {\n      load = yes\n    }\n  }\n  filelog {\n    e2e {\n      path = /var/log/charon-e2e.log\n      ike_name = yes\n      default = 1\n      cfg = 2\n      chd = 2\n      ike = 2\n    }\n  }\n}\n',
    );
    topo.build(tenant.contract.gateway.clientPool);
    // What the VM's boot does with the converged files, done by the harness (no systemd here):
    // /tmp from /etc/fstab, and the namespaced kernel parameters inside the gateway's namespace.
    const tmpOptions = rootfs.mountFromFstab('/tmp');
    expect(tmpOptions.split(',')).toEqual(expect.arrayContaining(['nodev', 'nosuid', 'noexec']));
    const procOptions = rootfs.mountFromFstab('/proc');
    expect(procOptions.split(',')).toContain('hidepid=invisible');
    for (const [key, value] of rootfs.namespacedSysctls('90-ras-hardening.conf')) must(['ip', 'netns', 'exec', topo.gw, 'sysctl', '-q', '-w', `${key}=${value}`]);
    // kernel-libipsec routes return traffic to a client through its TUN device with a source
    // address taken from the gateway's local traffic selectors (the customer networks), and
    // fails the tunnel when the gateway has none. With kernel ESP (XFRM policies) no such
    // route is needed, so only the harness gives the gateway one address per customer network.
    topo.addLocalAddresses(tenant.network.customerCidrs);
    const logs = join(tmp, 'daemons');
    mkdirSync(logs, { recursive: true });

    // NTP server in the backbone ("local stratum 8"), the customer hosts' services.
    writeFileSync(join(tmp, 'ntp-server.conf'), `local stratum 8\nallow all\nbindaddress ${ADDR.backbone}\ncmdport 0\npidfile ${join(tmp, 'ntp-server.pid')}\ndriftfile ${join(tmp, 'ntp-server.drift')}\n`);
    const pid: Record<string, number> = {};
    pid['ntp server'] = daemons.start('ntp server', ['ip', 'netns', 'exec', topo.backbone, '/usr/sbin/chronyd', '-d', '-x', '-f', join(tmp, 'ntp-server.conf')], join(logs, 'ntp-server.log'));
    const listener = [
      'import socketserver, sys, threading',
      'class H(socketserver.BaseRequestHandler):',
      '    def handle(self): self.request.sendall(b"ok\\n")',
      'socketserver.TCPServer.allow_reuse_address = True',
      'for p in (22, 80, 443):',
      '    s = socketserver.ThreadingTCPServer(("0.0.0.0", p), H)',
      '    threading.Thread(target=s.serve_forever, daemon=True).start()',
      'threading.Event().wait()',
    ].join('\n');
    pid['customer services'] = daemons.start('customer services', ['ip', 'netns', 'exec', topo.backbone, '/usr/bin/python3', '-c', listener], join(logs, 'services.log'));

    // Harness only: a copy of exactly what rsyslog hands to ras-auth-records (charon's "daemon"
    // lines with rsyslog's receive time, the same template), kept with the logs; the unit test's
    // fixture (test/fixtures/charon-attempts.log) is taken from it.
    writeFileSync(
      rootfs.path('etc/rsyslog.d/14-e2e-harness.conf'),
      'template(name="E2eAuthFeed" type="string" string="%timegenerated:::date-rfc3339% %msg:::drop-last-lf%\\n")\n' +
        'if ($programname == "charon" and $syslogfacility-text == "daemon") then {\n\taction(type="omfile" file="/var/log/ras-auth-feed-e2e.log" template="E2eAuthFeed")\n}\n',
    );
    must(rootfs.inNs(topo.gw, ['nft', '--file', '/etc/nftables.conf']));
    pid.rsyslogd = daemons.start('rsyslogd', rootfs.inNs(topo.gw, ['/usr/sbin/rsyslogd', '-n', '-iNONE']), join(logs, 'rsyslogd.log'));
    await waitFor('rsyslog socket', 10000, () => (existsSync(rootfs.path('dev/log')) ? true : undefined));
    pid.ulogd = daemons.start('ulogd', rootfs.inNs(topo.gw, ['/usr/sbin/ulogd', '-c', '/etc/ulogd.conf']), join(logs, 'ulogd.log'));
    pid.charon = daemons.start('charon', rootfs.inNs(topo.gw, ['/usr/sbin/charon-systemd']), join(logs, 'charon.log'));
    await waitFor('gateway vici socket', 15000, () => (existsSync(rootfs.path('run/charon.vici')) ? true : undefined));
    must(rootfs.inNs(topo.gw, ['swanctl', '--load-all', '--noprompt']));
    pid.chronyd = daemons.start('chronyd', rootfs.inNs(topo.gw, ['/usr/sbin/chronyd', '-d', '-x', '-f', '/etc/chrony/chrony.conf']), join(logs, 'chronyd.log'));
    pid.node_exporter = daemons.start('node_exporter', rootfs.inNs(topo.gw, ['/bin/sh', '-c', '. /etc/default/prometheus-node-exporter && exec /usr/bin/prometheus-node-exporter $ARGS --no-collector.systemd']), join(logs, 'node-exporter.log'));

    const pki = (globalThis as Record<string, unknown>).rasPki as TestPki;
    alice = new VpnClient(topo.addClient('alice', '198.51.100.11'), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    carol = new VpnClient(topo.addClient('carol', '198.51.100.12'), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    probe = new VpnClient(topo.addClient('probe', '198.51.100.13'), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    win = new VpnClient(topo.addClient('win', '198.51.100.15'), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    rogue = new VpnClient(topo.addClient('rogue', '198.51.100.16'), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    for (const c of [alice, carol, probe, win, rogue]) c.start(daemons);
    for (const c of [alice, carol, probe, win, rogue]) await c.ready();

    const aliceCert = pki.client(ALICE);
    const mallory = pki.client('mallory@sakura-trading.example');
    // Stock macOS/iOS proposals (strongSwan interop docs): AES-CBC-256, SHA2-256, MODP-2048 / ECP-256.
    alice.load(
      [{ name: 'macos', version: 2, proposals: 'aes256-sha256-modp2048, aes256-sha256-ecp256', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${ALICE}`, `certs = ${basename(aliceCert.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }],
      [],
      { certs: [aliceCert.cert], keys: [aliceCert.key] },
    );
    // Stock Windows with NegotiateDH2048_AES256=2: IKE aes256 with sha1/sha256/sha384 and MODP-2048, ESP SHA-1 only; IKE identity = its IP.
    carol.load(
      [{ name: 'windows', version: 2, proposals: 'aes256-sha1-sha256-sha384-modp2048', espProposals: 'aes256-aes128-sha1', local: ['auth = eap-mschapv2', 'id = 198.51.100.12', `eap_id = ${CAROL}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }],
      [`eap-carol {\n    id = ${CAROL}\n    secret = "${passwords[CAROL]}"\n  }`],
    );
    probe.load(
      [
        { name: 'unknown', version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', 'id = mallory@sakura-trading.example', `certs = ${basename(mallory.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true },
        { name: 'wrongpw', version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = eap-mschapv2', 'id = 198.51.100.13', `eap_id = ${ALICE}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true },
        // Stock Windows without the registry setting, or an old device: 3DES / SHA-1 / MODP-1024 only.
        { name: 'legacy', version: 2, proposals: '3des-sha1-modp1024', espProposals: '3des-sha1', local: ['auth = pubkey', `id = ${ALICE}`, `certs = ${basename(aliceCert.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true },
        { name: 'l2tp', version: 1, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = psk'], remoteAuth: 'psk', child: { mode: 'transport', remoteTs: 'dynamic[17/1701]', localTs: 'dynamic[17/1701]' }, vip: false },
      ],
      [
        `eap-alice-wrong {\n    id = ${ALICE}\n    secret = "not-${passwords[ALICE]}"\n  }`,
        `ike-l2tp {\n    secret = "${readFileSync(join(tmp, 'secrets', TENANT, 'l2tp-psk'), 'utf8')}"\n  }`,
      ],
      { certs: [aliceCert.cert, mallory.cert], keys: [aliceCert.key, mallory.key] },
    );

    const eap = (name: string, proposals: string, espProposals: string, address: string, identity: string) =>
      ({ name, version: 2, proposals, espProposals, local: ['auth = eap-mschapv2', `id = ${address}`, `eap_id = ${identity}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }) as const;
    win.load(
      [eap('win3desfirst', WINDOWS_3DES_FIRST, WINDOWS_ESP, '198.51.100.15', BOB), eap('windefault', WINDOWS_DEFAULT, WINDOWS_ESP, '198.51.100.15', BOB)],
      [`eap-bob {\n    id = ${BOB}\n    secret = "${passwords[BOB]}"\n  }`],
    );
    // A certificate for alice's identity from a CA the tenant does not use; and an attempt that
    // stops after IKE_SA_INIT (the gateway's half-open timeout ends it).
    const otherCa = new TestPki(join(tmp, 'pki-other'));
    const aliceElsewhere = otherCa.client(ALICE);
    // And a certificate for alice's identity from the tenant's CA that a later test revokes.
    aliceRevoked = pki.issue('alice-revoked', ALICE, ['clientAuth']);
    rogue.load(
      [
        { name: 'revoked', version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${ALICE}`, `certs = ${basename(aliceRevoked.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true },
        { name: 'otherca', version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${ALICE}`, `certs = ${basename(aliceElsewhere.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true },
        eap('silent', 'aes256-sha256-modp2048', 'aes256-sha256', '198.51.100.16', BOB),
      ],
      [],
      { certs: [aliceElsewhere.cert, aliceRevoked.cert], keys: [aliceElsewhere.key, aliceRevoked.key] },
    );

    // Started is not running: each daemon must still be alive and answer on its own interface.
    const log = (name: string) => join(logs, name);
    const services = ADDR.customerHosts.flatMap((h) => [22, 80, 443].map((p) => `${h}:${p}`));
    const nflogGroup = /^\[log1\]\s*\ngroup=(\d+)$/m.exec(rootfs.read('etc/ulogd.conf'))?.[1];
    const health = {
      // The backbone's NTP server serves its local clock at stratum 8.
      'ntp server': await answering(pid['ntp server'], log('ntp-server.log'), 20000, () =>
        unless(run(['ip', 'netns', 'exec', topo.backbone, 'python3', '-c', NTP_QUERY, ADDR.backbone]), (out) => out.trim() === 'mode=4 stratum=8'),
      ),
      'customer services': await answering(pid['customer services'], log('services.log'), 20000, () =>
        unless(run(['ip', 'netns', 'exec', topo.backbone, 'python3', '-c', TCP_HELLO, ...services]), (out) => out.trim() === services.map((s) => `${s} ok`).join('\n')),
      ),
      rsyslogd: await answering(pid.rsyslogd, log('rsyslogd.log'), 10000, () => (statSync(rootfs.path('dev/log')).isSocket() ? undefined : '/dev/log is not a socket')),
      // ulogd has bound the NFLOG group its configuration names, in the gateway's namespace.
      ulogd: await answering(pid.ulogd, log('ulogd.log'), 10000, () => {
        const table = run(['ip', 'netns', 'exec', topo.gw, 'cat', '/proc/net/netfilter/nfnetlink_log']).stdout;
        const bound = table.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((g) => g !== '');
        return nflogGroup !== undefined && bound.includes(nflogGroup) ? undefined : `NFLOG group ${nflogGroup} not bound (bound: ${bound.join(', ') || 'none'})`;
      }),
      // charon answers on its vici socket and holds the tenant's connections.
      charon: await answering(pid.charon, log('charon.log'), 15000, () =>
        unless(gw(['swanctl', '--stats']), (out) => /^uptime: /m.test(out) && /worker threads: \d+ total/.test(out)) ??
        unless(gw(['swanctl', '--list-conns']), (out) => /: IKEv[12], /.test(out)),
      ),
      // chronyd answers chronyc on its command socket, with the backbone server as its source.
      chronyd: await answering(pid.chronyd, log('chronyd.log'), 20000, () => unless(gw(['chronyc', '-n', 'sources']), (out) => out.includes(ADDR.backbone))),
      node_exporter: await answering(pid.node_exporter, log('node-exporter.log'), 20000, () =>
        unless(run(['ip', 'netns', 'exec', topo.ops, 'curl', '-sf', '-m', '5', `http://${ADDR.gwOps}:9100/metrics`]), (out) => /^node_exporter_build_info\{/m.test(out)),
      ),
    };
    expect(health).toEqual({ 'ntp server': true, 'customer services': true, rsyslogd: true, ulogd: true, charon: true, chronyd: true, node_exporter: true });
    reached.running = true;
  }, 600_000);

  test('a certificate client and an EAP client of different user groups establish IKEv2 tunnels', () => {
    requireStage('running');
    const a = alice.initiate('macos');
    expect({ status: a.status, out: a.stdout.slice(-2000) }).toEqual(expect.objectContaining({ status: 0 }));
    figures.tunnelSetupCertMs = a.ms;
    const c = carol.initiate('windows');
    expect({ status: c.status, out: c.stdout.slice(-2000) }).toEqual(expect.objectContaining({ status: 0 }));
    figures.tunnelSetupEapMs = c.ms;
    // A certificate identity leases from its user group's pool (engineering: 10.128.0.0/26);
    // EAP users share one connection and lease from any group pool of the client pool.
    expect(alice.virtualIp()).toMatch(/^10\.128\.0\.([1-9]|[1-5]\d|6[0-2])$/);
    expect(carol.virtualIp()).toMatch(/^10\.128\.0\.\d+$/);
  });

  test('an unknown identity and a wrong password are refused', () => {
    requireStage('running');
    const unknown = probe.initiate('unknown');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stdout).toMatch(/AUTHENTICATION_FAILED|AUTH_FAILED/);
    expectedRefusals.push({ peer: '198.51.100.13', reason: 'identity-not-allowed', identity: 'mallory@sakura-trading.example' });
    const wrong = probe.initiate('wrongpw');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/AUTHENTICATION_FAILED|EAP_MSCHAPV2 method failed|EAP_FAILURE/);
    expectedRefusals.push({ peer: '198.51.100.13', reason: 'auth-failed', identity: ALICE });
    expect(probe.virtualIp()).toBeUndefined();
  });

  test('each user reaches exactly the host/service pairs of its group', () => {
    requireStage('running');
    const matrix = (c: VpnClient) => ({
      web80: c.canConnect(WEB_HOST, 80),
      web443: c.canConnect(WEB_HOST, 443),
      web22: c.canConnect(WEB_HOST, 22),
      dev22: c.canConnect(DEV_HOST, 22),
      dev80: c.canConnect(DEV_HOST, 80),
    });
    expect(matrix(alice)).toEqual({ web80: true, web443: true, web22: false, dev22: true, dev80: false });
    expect(matrix(carol)).toEqual({ web80: true, web443: true, web22: false, dev22: false, dev80: false });
  });

  test('a firewall reload keeps connected users admitted (group sets re-filled from the SAs)', () => {
    requireStage('running');
    must(rootfs.inNs(topo.gw, ['nft', '--file', '/etc/nftables.conf'])); // what the reload handler runs
    expect(alice.canConnect(DEV_HOST, 22)).toBe(false); // the reload emptied the sets
    const resync = must(rootfs.inNs(topo.gw, ['/usr/local/sbin/ras-firewall-resync']));
    expect(resync.stdout).toContain(`${ALICE} ${alice.virtualIp()} grp_engineering`);
    expect(resync.stdout).toContain(`${CAROL} ${carol.virtualIp()} grp_sales`);
    expect(alice.canConnect(DEV_HOST, 22)).toBe(true);
    expect(carol.canConnect(DEV_HOST, 22)).toBe(false);
  });

  test('a client offering only legacy proposals is refused (tenant has the strong profile)', () => {
    requireStage('running');
    const r = probe.initiate('legacy');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/NO_PROPOSAL_CHOSEN/);
    expectedRefusals.push({ peer: '198.51.100.13', reason: 'no-proposal' });
  });

  test('strong profile: a Windows-like client listing 3DES first gets AES-256; without MODP-2048 it is refused', () => {
    requireStage('running');
    const r = win.initiate('win3desfirst');
    expect({ status: r.status, out: r.stdout.slice(-1500) }).toEqual(expect.objectContaining({ status: 0 }));
    expect(negotiated(r.stdout)).toEqual({ ike: 'AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048', esp: 'AES_CBC_256/HMAC_SHA1_96' });
    figures.strongWindows3desFirst = negotiated(r.stdout).ike;
    win.terminate('win3desfirst');
    const d = win.initiate('windefault');
    expect(d.status).not.toBe(0);
    expect(d.stdout).toMatch(/NO_PROPOSAL_CHOSEN/);
    expectedRefusals.push({ peer: '198.51.100.15', reason: 'no-proposal' });
  });

  test('a revoked certificate of a contract identity is refused', () => {
    requireStage('running');
    // Harness only: the role distributes no CRL yet (see ansible/README.md, Known gaps); the
    // test loads one into the gateway's charon, as an operator would with swanctl.
    const pki = (globalThis as Record<string, unknown>).rasPki as TestPki;
    const crl = pki.revoke([aliceRevoked.cert]);
    mkdirSync(rootfs.path('etc/swanctl/x509crl'), { recursive: true });
    cpSync(crl, rootfs.path('etc/swanctl/x509crl/e2e-revoked.crl'));
    must(rootfs.inNs(topo.gw, ['swanctl', '--load-creds', '--noprompt']));
    const r = rogue.initiate('revoked');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/AUTHENTICATION_FAILED|AUTH_FAILED/);
    expect(rogue.virtualIp()).toBeUndefined();
    expectedRefusals.push({ peer: '198.51.100.16', reason: 'revoked', identity: ALICE });
  });

  test("a certificate from another CA and an attempt that stops after IKE_SA_INIT are refused", async () => {
    requireStage('running');
    const r = rogue.initiate('otherca');
    expect(r.status).not.toBe(0);
    expectedRefusals.push({ peer: '198.51.100.16', reason: 'wrong-ca', identity: ALICE });
    // The client's IKE_AUTH (UDP 4500) never leaves its namespace: the gateway holds a half-open
    // IKE_SA until its half-open timeout (30 s) ends it.
    must(['ip', 'netns', 'exec', rogue.ns, 'nft', '-f', '-'], { input: 'table inet e2e_silent {\n chain out {\n  type filter hook output priority 0;\n  udp dport 4500 drop\n }\n}\n' });
    const s = rogue.initiate('silent', 3);
    expect(s.status).not.toBe(0);
    expectedRefusals.push({ peer: '198.51.100.16', reason: 'timeout' });
    await waitFor('half-open timeout record', 60000, () => (authRecords().some((rec) => rec.peer === '198.51.100.16' && rec.reason === 'timeout') ? true : undefined));
  }, 120_000);

  test('closed mobile: the carrier identity connects only through the carrier-side address, and nothing from the carrier side reaches the internet', async () => {
    requireStage('running');
    const mobile = tenant.network.closedMobile;
    if (mobile === undefined) throw new Error(`${TENANT}'s contract no longer enables closed mobile access: this test needs a tenant that does`);
    expect(mobile.identities).toEqual([DAVE]);
    const pki = (globalThis as Record<string, unknown>).rasPki as TestPki;
    const daveCert = pki.client(DAVE);
    const phone = (ns: string, gateway: string) => {
      const c = new VpnClient(ns, join(tmp, 'clients'), gateway, pki.caCert);
      c.start(daemons);
      return c;
    };
    const conn = { name: 'phone', version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${DAVE}`, `certs = ${basename(daveCert.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true } as const;

    // The carrier side: the device's address is inside the contract's carrier ranges (carrier NAT).
    const carrierNs = topo.addCarrier(mobile.gatewayAddress, mobile.carrierCidrs, CARRIER_DEVICE);
    const onCarrier = phone(carrierNs, mobile.gatewayAddress);
    // The same identity and certificate from the internet side.
    const onInternet = phone(topo.addClient('daveinet', DAVE_INTERNET), ADDR.gwInternet);
    await onCarrier.ready();
    await onInternet.ready();
    onCarrier.load([conn], [], { certs: [daveCert.cert], keys: [daveCert.key] });
    onInternet.load([conn], [], { certs: [daveCert.cert], keys: [daveCert.key] });

    const fromInternet = onInternet.initiate('phone');
    expect(fromInternet.status).not.toBe(0);
    expect(fromInternet.stdout).toMatch(/AUTHENTICATION_FAILED|AUTH_FAILED/);
    expect(onInternet.virtualIp()).toBeUndefined();
    expectedRefusals.push({ peer: DAVE_INTERNET, reason: 'identity-not-allowed', identity: DAVE });

    const fromCarrier = onCarrier.initiate('phone');
    expect({ status: fromCarrier.status, out: fromCarrier.stdout.slice(-2000) }).toEqual(expect.objectContaining({ status: 0 }));
    // The gateway's SA: the carrier-only connection, on the carrier-side address, from the carrier range.
    const sas = gw(['swanctl', '--list-sas', '--noblock']).stdout;
    const sa = sas.split(/\n(?=\S)/).find((block) => block.includes(`'${DAVE}'`)) ?? '';
    expect(sa).toMatch(/^mobile-[0-9a-f]{12}: #\d+, ESTABLISHED, IKEv2/);
    expect(sa).toContain(`@ ${mobile.gatewayAddress}[4500]`);
    expect(sa).toContain(`@ ${CARRIER_DEVICE}[4500]`);
    // Dave is an engineer: the same host/service pairs as alice, from the carrier side.
    expect(onCarrier.virtualIp()).toMatch(/^10\.128\.0\.([1-9]|[1-5]\d|6[0-2])$/);
    expect({ dev22: onCarrier.canConnect(DEV_HOST, 22), dev80: onCarrier.canConnect(DEV_HOST, 80) }).toEqual({ dev22: true, dev80: false });

    // Nothing from the carrier side reaches the internet: the device sends to an internet-side
    // host (UDP, TCP, ICMP) through its only route, the gateway. The internet host counts every
    // packet but the gateway's own IKE (so masqueraded ones too); the gateway's forward chain counts its drops.
    must(['ip', 'netns', 'exec', onInternet.ns, 'nft', '-f', '-'], { input: `table inet e2e_watch {\n chain pre {\n  type filter hook prerouting priority -300;\n  ip saddr ${ADDR.gwInternet} udp sport { 500, 4500 } return\n  counter\n }\n}\n` });
    const dropped = () => Number(/counter packets (\d+) bytes \d+ drop/.exec(gw(['nft', 'list', 'chain', 'inet', 'ras', 'forward']).stdout)?.[1] ?? NaN);
    const droppedBefore = dropped();
    run(['ip', 'netns', 'exec', carrierNs, 'python3', '-c', CARRIER_PROBES, DAVE_INTERNET], { timeoutMs: 15_000 });
    await sleep(500);
    const watched = run(['ip', 'netns', 'exec', onInternet.ns, 'nft', 'list', 'table', 'inet', 'e2e_watch']).stdout;
    expect([...watched.matchAll(/counter packets (\d+)/g)].map((m) => Number(m[1]))).toEqual([0]);
    // The probes did reach the gateway (a test that sent nothing would also see nothing arrive).
    expect(dropped() - droppedBefore).toBeGreaterThanOrEqual(3);
    onCarrier.terminate('phone');
  }, 180_000);

  test('L2TP/IPsec: the IKEv1 PSK exchange (main mode) completes', () => {
    requireStage('running');
    // The L2TP data path (PPP over L2TP) cannot run in this kernel; see ansible/README.md.
    probe.initiate('l2tp');
    const sas = gw(['swanctl', '--list-sas']).stdout;
    expect(sas).toMatch(/l2tp-psk: #\d+, ESTABLISHED, IKEv1/);
  });

  test('the three log streams hold connection, refused access and authentication events, stamped +09:00', async () => {
    requireStage('running');
    await waitFor('access-control log line', 10000, () => (logFile('access-control').includes('ras-deny') ? true : undefined));
    const carolVip = carol.virtualIp() as string;
    const vpn = logFile('vpn-connection');
    const access = logFile('access-control');
    const auth = logFile('device-authentication');
    expect(vpn).toMatch(new RegExp(`event=connect .*identity=${ALICE.replace(/\./g, '\\.')}`));
    expect(vpn).toMatch(new RegExp(`event=connect .*identity=${CAROL.replace(/\./g, '\\.')} .*firewall_set=grp_sales`));
    expect(vpn).toMatch(/identity=alice@sakura-trading\.example .*firewall_set=grp_engineering/);
    // One line per tunnel, although charon calls the up/down script once per traffic selector pair.
    expect(vpn.split('\n').filter((l) => l.includes(`event=connect`) && l.includes(`identity=${ALICE} `))).toHaveLength(1);
    expect(access).toMatch(new RegExp(`ras-deny .*SRC=${carolVip.replace(/\./g, '\\.')} DST=${DEV_HOST.replace(/\./g, '\\.')} .*DPT=22`));
    expect(access).toMatch(/ras-allow engineering-dev-servers-ssh /);
    expect(auth).toMatch(/authentication of 'alice@sakura-trading\.example' with ECDSA[^ ]* signature successful|authentication of 'alice@sakura-trading\.example' with .* successful/);
    expect(auth).toMatch(/EAP-MS-CHAPv2 verification failed|EAP method EAP_MSCHAPV2 failed/);
    expect(auth).toMatch(/mallory@sakura-trading\.example/);
    for (const [id, text] of [['vpn-connection', vpn], ['access-control', access], ['device-authentication', auth]]) {
      const lines = text.trim().split('\n');
      expect({ id, unstamped: lines.filter((l) => !STAMP.test(l)) }).toEqual({ id, unstamped: [] });
    }
  });

  test("operator work (sudo, the integrity check) reaches the provider's own stream, never a customer stream", async () => {
    requireStage('running');
    const operatorLog = () => (existsSync(rootfs.path('var/log/ras-provider/operator-work.log')) ? rootfs.read('var/log/ras-provider/operator-work.log') : '');
    // The operations account runs a command with sudo (NOPASSWD; keys are its only login).
    const sudo = run(rootfs.inNs(topo.gw, ['/usr/sbin/chroot', '--userspec=rasops:rasops', '/', '/usr/bin/sudo', '-n', '/usr/bin/id', '-u']));
    expect({ status: sudo.status, out: sudo.stdout.trim(), err: sudo.stderr }).toEqual(expect.objectContaining({ status: 0, out: '0' }));
    // The daily integrity check compares with the converge's baseline: the harness has changed
    // files since (its charon and rsyslog drop-ins, the libipsec plugin), which it must report.
    const check = gw(['/usr/local/sbin/ras-integrity', 'check']);
    expect(check.status).toBe(1);
    const work = await waitFor('operator-work lines', 10000, () => {
      const text = operatorLog();
      return / sudo: .*rasops .*COMMAND=\/usr\/bin\/id -u/.test(text) && /ras-integrity.*zz-e2e-harness\.conf/.test(text) ? text : undefined;
    });
    expect(work.trim().split('\n').filter((l) => !STAMP.test(l))).toEqual([]);
    // sudo kept the session (input and output) for sudoreplay.
    expect(must(['find', rootfs.path('var/log/sudo-io/rasops'), '-name', 'log']).stdout.trim()).not.toBe('');
    // Apart from the customer's streams.
    for (const s of LOG_STREAMS) expect({ id: s.id, operator: /( sudo| ras-integrity)(\[\d+\])?: /.test(logFile(s.id)) }).toEqual({ id: s.id, operator: false });
    // Shipped under the provider prefix (a rotated copy of today's file; --dry-run prints the keys).
    const rotated = rootfs.path('var/log/ras-provider/operator-work.log-20261130.gz');
    writeFileSync(rotated, '');
    const ship = must(rootfs.inNs(topo.gw, ['/usr/local/sbin/ras-log-ship', '--dry-run']));
    rmSync(rotated);
    expect(ship.stdout).toMatch(new RegExp(`^s3://ras-prod-${TENANT}-logs/provider/operator-work/2026/11/30/\\S+-operator-work\\.log-20261130\\.gz$`, 'm'));
  });

  test('the daily job builds the combined file from the three streams and names the download prefix', () => {
    requireStage('running');
    const today = /^(\d{4}-\d\d-\d\d)/.exec(logFile('vpn-connection'))?.[1] as string;
    const r = must(rootfs.inNs(topo.gw, ['/usr/local/sbin/ras-log-combine', '--day', today, '--dry-run']));
    expect(r.stdout).toContain(`s3://ras-prod-${TENANT}-logs/${COMBINED_DOWNLOAD_PREFIX}${today}.log`);
    const combined = rootfs.read(`var/log/ras/combined/combined-${today}.log`);
    for (const s of LOG_STREAMS) expect(combined).toContain(`[${s.id}]`);
    const stamps = combined.trim().split('\n').map((l) => l.split(' ')[0]);
    expect(stamps).toEqual([...stamps].sort());
  });

  test('chrony is synchronised to the NTP server in the backbone', async () => {
    requireStage('running');
    const tracking = await waitFor('chrony synchronisation', 60000, () => {
      const t = gw(['chronyc', '-n', 'tracking']).stdout;
      return /Leap status\s*:\s*Normal/.test(t) && t.includes(ADDR.backbone) ? t : undefined;
    });
    expect(tracking).toMatch(new RegExp(`Reference ID\\s*:\\s*\\S+ \\(${ADDR.backbone.replace(/\./g, '\\.')}\\)`));
  });

  test('node_exporter, scraped from the operations network only, reports the established SAs', async () => {
    requireStage('running');
    must(rootfs.inNs(topo.gw, ['/usr/local/sbin/ras-strongswan-metrics', '/var/lib/prometheus/node-exporter']));
    const metrics = await waitFor('node_exporter', 20000, () => {
      const r = run(['ip', 'netns', 'exec', topo.ops, 'curl', '-sf', '-m', '5', `http://${ADDR.gwOps}:9100/metrics`]);
      return r.status === 0 ? r.stdout : undefined;
    });
    expect(metrics).toMatch(/^ras_strongswan_ike_sas\{state="established"\} ([3-9]|\d\d+)$/m); // alice, carol, the L2TP ISAKMP SA
    const online = [...metrics.matchAll(/^ras_strongswan_pool_addresses\{pool="grp-[a-z-]+",use="online"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(online.reduce((a, b) => a + b, 0)).toBe(2); // alice's and carol's leases
    expect(metrics).toMatch(/^ras_strongswan_pool_addresses\{pool="grp-sales",use="size"\} 62$/m);
    const fromInternet = run(['ip', 'netns', 'exec', alice.ns, 'curl', '-sf', '-m', '3', `http://${ADDR.gwInternet}:9100/metrics`]);
    expect(fromInternet.status).not.toBe(0);
  });

  test('every metric the fleet alert rules judge is exported by the converged gateway', async () => {
    requireStage('running');
    must(rootfs.inNs(topo.gw, ['/usr/local/sbin/ras-strongswan-metrics', '/var/lib/prometheus/node-exporter']));
    must(rootfs.inNs(topo.gw, ['/usr/local/sbin/ras-gateway-metrics', '/var/lib/prometheus/node-exporter']));
    const wanted = [...Object.values(NODE).filter((n) => n !== NODE.up), ...Object.values(STRONGSWAN), ...Object.values(GATEWAY), IKE_ATTEMPTS];
    const page = await waitFor('node_exporter with every judged metric', 20000, () => {
      const r = run(['ip', 'netns', 'exec', topo.ops, 'curl', '-sf', '-m', '5', `http://${ADDR.gwOps}:9100/metrics`]);
      return r.status === 0 && wanted.every((n) => new RegExp(`^${n}[{ ]`, 'm').test(r.stdout)) ? r.stdout : undefined;
    });
    // chrony is synchronised to the backbone's server (test above); the refusals of this run were counted.
    expect(page).toMatch(/^ras_chrony_synchronized 1$/m);
    expect(page).toMatch(/^ras_logs_config_readable 1$/m);
    expect(Number(/^ras_ike_attempts_total\{outcome="success",reason="-"\} (\d+)$/m.exec(page)?.[1])).toBeGreaterThan(0);
  });

  test('lynis hardening index of the converged root filesystem', () => {
    requireStage('running');
    cpSync('/usr/share/lynis', rootfs.path('usr/share/lynis'), { recursive: true });
    cpSync('/etc/lynis', rootfs.path('etc/lynis'), { recursive: true });
    cpSync('/usr/sbin/lynis', rootfs.path('usr/sbin/lynis'));
    // Measured as the gateway runs: with its own sshd up (the operations access), so Lynis judges
    // the converged sshd settings too (SSH-7408 runs only when an sshd is running).
    must(rootfs.inNs(topo.gw, ['/usr/sbin/sshd', '-o', 'PidFile=/run/sshd-lynis.pid']));
    let r: ReturnType<typeof run>;
    try {
      r = run(rootfs.inNs(topo.gw, ['/usr/sbin/lynis', 'audit', 'system', '--quick', '--no-colors', '--report-file', '/var/tmp/lynis-report.dat', '--logfile', '/var/tmp/lynis.log']), { timeoutMs: 900_000 });
    } finally {
      const pid = rootfs.read('run/sshd-lynis.pid').trim();
      run(['kill', pid]);
    }
    const report = rootfs.read('var/tmp/lynis-report.dat');
    expect(report).toMatch(/^openssh_daemon_running=1$/m);
    const index = Number(/^hardening_index=(\d+)$/m.exec(report)?.[1]);
    figures.lynisHardeningIndex = index;
    mkdirSync(join(REPO, 'test-results'), { recursive: true });
    writeFileSync(join(REPO, 'test-results', 'lynis-suggestions.txt'), report.split('\n').filter((l) => /^(suggestion|warning)\[\]=/.test(l)).join('\n') + '\n');
    expect({ status: r.status, index: Number.isFinite(index) }).toEqual({ status: 0, index: true });
    expect(index).toBeGreaterThanOrEqual(85); // issue 15's target; what is left out is listed in ansible/README.md
  }, 900_000);

  test('device certificates: two devices issued with ras device connect; the gateway trusts only the tenant device CA', async () => {
    requireStage('running');
    const laptop = rasDevice(['issue', '--tenant', TENANT, '--device', 'laptop', '--identity', BOB]);
    const tablet = rasDevice(['issue', '--tenant', TENANT, '--device', 'tablet', '--identity', ALICE]);
    devices.laptop = laptop.serial;
    devices.tablet = tablet.serial;
    // The first push is the whole playbook: connections now name the device CA (harness: reload them, as the Reload swanctl handler does under systemd).
    const vars = pushDevices(true);
    must(rootfs.inNs(topo.gw, ['swanctl', '--load-all', '--noprompt']));
    expect(vars).toContain('strongswan_device_pki:');
    expect(vars).not.toContain('PRIVATE KEY');
    expect(rootfs.read('etc/swanctl/conf.d/ras-connections.conf')).toMatch(/cacerts = ras-device-ca\.crt/);
    expect(rootfs.read('etc/swanctl/conf.d/ras-connections.conf')).toMatch(/reauth_time = 4h/);
    expect(gw(['swanctl', '--list-certs', '--type', 'x509crl']).stdout).toMatch(/OU=sakura-trading/);

    const pki = (globalThis as Record<string, unknown>).rasPki as TestPki;
    const clients: Record<string, VpnClient> = {};
    for (const [device, identity] of [['laptop', BOB], ['tablet', ALICE]] as const) {
      const c = new VpnClient(topo.addClient(device, DEVICE_PEERS[device]), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
      c.start(daemons);
      await c.ready();
      const files = deviceFiles(TENANT, device, devices[device]);
      c.load(
        [{ name: device, version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${identity}`, `certs = ${basename(files.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }],
        [],
        { certs: [files.cert], keys: [files.key] },
      );
      const r = c.initiate(device);
      expect({ device, status: r.status, out: r.stdout.slice(-1500) }).toEqual(expect.objectContaining({ device, status: 0 }));
      clients[device] = c;
    }
    (globalThis as Record<string, unknown>).rasDeviceClients = clients;
    expect([...gatewaySas().keys()]).toEqual(expect.arrayContaining([BOB, ALICE]));
    expect(clients.tablet.canConnect(WEB_HOST, 80)).toBe(true);
  }, 900_000);

  test(`revoking a device while its tunnel is up ends its IKE_SA within ${REVOCATION_CUT_BOUND_MS / 1000} s; its reconnect is refused and recorded with the serial; the other device stays up; openssl and pki read the CRL`, async () => {
    requireStage('running');
    const clients = (globalThis as Record<string, unknown>).rasDeviceClients as Record<string, VpnClient>;
    const laptopSa = gatewaySas().get(BOB);
    const tabletSa = gatewaySas().get(ALICE);
    expect({ laptopSa: laptopSa !== undefined, tabletSa: tabletSa !== undefined }).toEqual({ laptopSa: true, tabletSa: true });
    const t0 = Date.now();
    rasDevice(['revoke', '--tenant', TENANT, '--device', 'laptop', '--reason', 'keyCompromise']);
    pushDevices(false);
    await waitFor("the revoked device's IKE_SA to end", REVOCATION_CUT_BOUND_MS, () => (gatewaySas().has(BOB) ? undefined : true));
    figures.deviceRevocationCutMs = Date.now() - t0;
    expect(figures.deviceRevocationCutMs).toBeLessThanOrEqual(REVOCATION_CUT_BOUND_MS);
    expect(gatewaySas().get(ALICE)).toBe(tabletSa);
    expect(clients.tablet.canConnect(WEB_HOST, 80)).toBe(true);
    await waitFor('session-ended record', 10000, () => (authRecords().some((r) => r.event === 'session-ended' && r.serial === devices.laptop) ? true : undefined));
    expect(authRecords().find((r) => r.event === 'session-ended' && r.serial === devices.laptop)).toEqual(expect.objectContaining({ identity: BOB, ike_sa: laptopSa, reason: 'revoked', peer: DEVICE_PEERS.laptop }));

    // The product's CRL as openssl and strongSwan's pki read it: the laptop's certificate is revoked, the tablet's is good.
    const pub = join(deviceState(), 'devices', 'public', TENANT);
    const chain = join(pub, 'ca-chain.pem');
    const tenantCa = join(tmp, 'device-tenant-ca.pem');
    writeFileSync(tenantCa, readFileSync(chain, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]);
    const verify = (device: 'laptop' | 'tablet') => run(['openssl', 'verify', '-crl_check', '-CRLfile', join(pub, 'crl.pem'), '-CAfile', chain, deviceFiles(TENANT, device, devices[device]).cert]);
    expect(verify('laptop').stdout + verify('laptop').stderr).toContain('certificate revoked');
    expect(verify('tablet').status).toBe(0);
    const pkiVerify = (device: 'laptop' | 'tablet') =>
      // With charon's constraints plugin loaded (pki's own list lacks it): name constraints checked as the gateway does.
      run(['pki', '--verify', '--in', deviceFiles(TENANT, device, devices[device]).cert, '--cacert', join(deviceState(), 'devices', 'root-ca.pem'), '--cacert', tenantCa, '--crl', join(pub, 'crl.pem')], {
        env: { ...CLEAN_ENV, STRONGSWAN_CONF: join(REPO, 'test', 'devices', 'helpers', 'pki-strongswan.conf') },
      });
    expect(pkiVerify('laptop').status).not.toBe(0);
    expect(pkiVerify('tablet').status).toBe(0);

    // The reconnect: refused, and recorded with the serial and reason in JST. The gateway's
    // --terminate --force still sends the DELETE, so the laptop's own IKE_SA is gone and the
    // initiate below is a fresh login, not a reuse.
    await waitFor("the laptop's own IKE_SA to end (the gateway's DELETE)", 10000, () => (/^laptop: #/m.test(clients.laptop.listSas()) ? undefined : true));
    // charon holds only the new CRL: the one cached at earlier logins was flushed (ras-device-sessions).
    const deviceCrls = gw(['swanctl', '--list-certs', '--type', 'x509crl']).stdout.split(/\n(?=\s*issuer:)/).filter((c) => c.includes('OU=sakura-trading'));
    expect(deviceCrls.map((c) => /serial:\s+(\S+)/.exec(c)?.[1])).toEqual([Number(JSON.parse(readFileSync(join(deviceState(), 'devices', 'ledgers', `${TENANT}.json`), 'utf8')).version).toString(16).padStart(2, '0')]);
    const again = clients.laptop.initiate('laptop');
    expect({ refused: again.status !== 0, out: again.stdout.slice(-1500) }).toEqual({ refused: true, out: expect.stringMatching(/AUTHENTICATION_FAILED|AUTH_FAILED/) });
    expect(gatewaySas().has(BOB)).toBe(false);
    expectedRefusals.push({ peer: DEVICE_PEERS.laptop, reason: 'revoked', identity: BOB });
    // The attempt record, not the session-ended one (which names the same peer and reason).
    const isRefusal = (r: Record<string, string>): boolean => r.event === 'ike-attempt' && r.peer === DEVICE_PEERS.laptop && r.reason === 'revoked';
    await waitFor('revoked refusal record', 10000, () => (authRecords().some(isRefusal) ? true : undefined));
    const refusal = authRecords().find(isRefusal);
    expect(refusal).toEqual(expect.objectContaining({ outcome: 'refused', serial: devices.laptop, identity: BOB, time: expect.stringMatching(/\+09:00$/) }));
    // The other device keeps its tunnel through all of it.
    expect(gatewaySas().get(ALICE)).toBe(tabletSa);
    expect(clients.tablet.canConnect(WEB_HOST, 80)).toBe(true);
  }, 600_000);

  test('reissuing the revoked device gives it a new certificate that connects again', () => {
    requireStage('running');
    const clients = (globalThis as Record<string, unknown>).rasDeviceClients as Record<string, VpnClient>;
    const old = devices.laptop;
    devices.laptop = rasDevice(['reissue', '--tenant', TENANT, '--device', 'laptop']).serial;
    expect(devices.laptop).not.toBe(old);
    pushDevices(false);
    const files = deviceFiles(TENANT, 'laptop', devices.laptop);
    clients.laptop.load(
      [{ name: 'laptop', version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${BOB}`, `certs = ${basename(files.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }],
      [],
      { certs: [files.cert], keys: [files.key] },
    );
    const r = clients.laptop.initiate('laptop');
    expect({ status: r.status, out: r.stdout.slice(-1500) }).toEqual(expect.objectContaining({ status: 0 }));
    expect(gatewaySas().has(BOB)).toBe(true);
    expect(authRecords().some((x) => x.outcome === 'success' && x.serial === devices.laptop)).toBe(true);
  }, 300_000);

  test("a certificate from another tenant's device CA and an expired certificate are refused and recorded", async () => {
    requireStage('running');
    // Another tenant's device CA under the same fleet root (the product's CA code with the fleet
    // root key of this run's secret store; kitakaze-logistics' contract itself cannot have one:
    // its scanner identities are DNS names, see devices/ca.ts charonIncompatibility), then a
    // certificate of that CA claiming this tenant's identity, signed with that CA's key.
    const OTHER = 'kitakaze-logistics';
    const rootKey = await ca.importSigningKey(readFileSync(join(tmp, 'secrets', '_fleet', 'device-root-ca.key'), 'utf8'), 'P-384');
    const root = { cert: new ca.x509.X509Certificate(readFileSync(join(deviceState(), 'devices', 'root-ca.pem'), 'utf8')), key: rootKey };
    const otherKeys = await ca.generateKeyPair('P-384');
    const otherCa = { cert: await ca.createTenantCa(root, fleet.namePrefix, OTHER, ['dan@kitakaze.example'], otherKeys.publicKey, new Date()), key: otherKeys.privateKey };
    const sakuraCa = { cert: new ca.x509.X509Certificate(readFileSync(join(deviceState(), 'devices', 'public', TENANT, 'ca-chain.pem'), 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]), key: await ca.importSigningKey(readFileSync(join(tmp, 'secrets', TENANT, 'device-ca.key'), 'utf8'), 'P-384') };
    const forge = async (issuer: ca.Issuer, issuerTenant: string, name: string, days: number, daysAgo: number) => {
      const keys = await ca.generateKeyPair('P-256');
      const serial = ca.newSerial();
      const cert = await ca.createDeviceCert(issuer, { namePrefix: fleet.namePrefix, tenant: issuerTenant, device: name, identity: BOB, days, serial, publicKey: keys.publicKey, now: new Date(Date.now() - daysAgo * 86_400_000) });
      const files = { cert: join(tmp, 'pki', `${name}.crt`), key: join(tmp, 'pki', `${name}.key`), serial };
      writeFileSync(files.cert, ca.certPem(cert));
      writeFileSync(files.key, await ca.privateKeyPem(keys.privateKey), { mode: 0o600 });
      return files;
    };
    const foreign = await forge(otherCa, OTHER, 'foreign', 30, 0);
    const expired = await forge(sakuraCa, TENANT, 'expired', 1, 3);
    const pki = (globalThis as Record<string, unknown>).rasPki as TestPki;
    const intruder = new VpnClient(topo.addClient('intruder', DEVICE_PEERS.intruder), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    intruder.start(daemons);
    await intruder.ready();
    // The intruder holds the other tenant's CA and the fleet root, so it can send the whole chain.
    mkdirSync(join(intruder.dir, 'x509ca'), { recursive: true });
    writeFileSync(join(intruder.dir, 'x509ca', 'other-tenant-ca.pem'), ca.certPem(otherCa.cert));
    writeFileSync(join(intruder.dir, 'x509ca', 'fleet-root.pem'), ca.certPem(root.cert));
    const conn = (name: string, cert: string) =>
      ({ name, version: 2, proposals: 'aes256-sha256-modp2048', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${BOB}`, `certs = ${basename(cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }) as const;
    intruder.load([conn('foreign', foreign.cert), conn('expired', expired.cert)], [], { certs: [foreign.cert, expired.cert], keys: [foreign.key, expired.key] });

    const f = intruder.initiate('foreign');
    expect(f.status).not.toBe(0);
    await waitFor('foreign refusal record', 10000, () => (authRecords().some((r) => r.peer === DEVICE_PEERS.intruder && r.outcome === 'refused') ? true : undefined));
    const foreignRecord = authRecords().find((r) => r.peer === DEVICE_PEERS.intruder && r.outcome === 'refused') as Record<string, string>;
    expect(['wrong-ca', 'identity-not-allowed']).toContain(foreignRecord.reason);
    figures.deviceForeignCaReason = foreignRecord.reason;
    expectedRefusals.push({ peer: DEVICE_PEERS.intruder, reason: foreignRecord.reason, identity: BOB });

    const e = intruder.initiate('expired');
    expect(e.status).not.toBe(0);
    await waitFor('expired refusal record', 10000, () => (authRecords().some((r) => r.peer === DEVICE_PEERS.intruder && r.reason === 'expired') ? true : undefined));
    expect(authRecords().find((r) => r.peer === DEVICE_PEERS.intruder && r.reason === 'expired')).toEqual(expect.objectContaining({ outcome: 'refused', serial: expired.serial, identity: BOB }));
    expectedRefusals.push({ peer: DEVICE_PEERS.intruder, reason: 'expired', identity: BOB });

    // The devices' tunnels end here, so the tests after this one see the gateway as before.
    const clients = (globalThis as Record<string, unknown>).rasDeviceClients as Record<string, VpnClient>;
    for (const [device, c] of Object.entries(clients)) c.terminate(device);
  }, 300_000);

  test('a legacy opt-in tenant (kitakaze-logistics) accepts the legacy-only client', async () => {
    requireStage('running');
    // Re-converge the same gateway with the legacy tenant's contract (legacy profile, written
    // opt-in, PPTP enabled), reload, and offer the legacy-only proposals again.
    const legacyTenant = 'kitakaze-logistics';
    const loaded = loadFleet({ fleetFile: join(REPO, 'fleet.yaml'), tenantsDir: join(REPO, 'tenants') });
    const kitakaze = loaded.tenants.find((t) => t.id === legacyTenant) as TenantModel;
    expect(kitakaze.crypto).toEqual(expect.objectContaining({ profile: 'legacy', legacyOptIn: expect.anything() }));
    const pki = (globalThis as Record<string, unknown>).rasPki as TestPki;
    const scanner = kitakaze.contract.accessControl.userGroups.flatMap((g) => g.members)[0];
    const legacyPasswords = Object.fromEntries(kitakaze.contract.accessControl.userGroups.flatMap((g) => g.members).map((m) => [m, randomSecret()]));
    writeSecretStore(join(tmp, 'secrets', legacyTenant), pki, { cert: join(tmp, 'pki', 'gateway.crt'), key: join(tmp, 'pki', 'gateway.key') }, legacyPasswords, randomSecret());
    const legacyInventory = writeGatewayConfig(join(tmp, 'stack-legacy'), kitakaze, fleet).inventoryFile;
    const converge = playbook(legacyInventory);
    if (converge.status !== 0) throw new Error(`legacy tenant converge failed:\n${converge.out.slice(-6000)}`);
    figures.legacyReconvergeMs = converge.ms;
    topo.addLocalAddresses(kitakaze.network.customerCidrs); // kernel-libipsec only, as above
    must(rootfs.inNs(topo.gw, ['nft', '--file', '/etc/nftables.conf']));
    must(rootfs.inNs(topo.gw, ['swanctl', '--load-all', '--noprompt']));
    expect(rootfs.read('etc/pptpd.conf')).toContain('delegate');
    expect(rootfs.read('etc/ppp/pptpd-options')).toMatch(/^require-mppe-128$/m);

    const old = new VpnClient(topo.addClient('old', '198.51.100.14'), join(tmp, 'clients'), ADDR.gwInternet, pki.caCert);
    old.start(daemons);
    await old.ready();
    (globalThis as Record<string, unknown>).rasLegacyClient = old;
    const eapConn = (name: string, proposals: string, espProposals: string) =>
      ({ name, version: 2, proposals, espProposals, local: ['auth = eap-mschapv2', 'id = 198.51.100.14', `eap_id = ${scanner}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }) as const;
    old.load(
      [eapConn('legacy', '3des-sha1-modp1024', '3des-sha1'), eapConn('win3desfirst', WINDOWS_3DES_FIRST, WINDOWS_ESP), eapConn('windefault', WINDOWS_DEFAULT, WINDOWS_ESP)],
      [`eap-scanner {\n    id = ${scanner}\n    secret = "${legacyPasswords[scanner]}"\n  }`],
    );
    const r = old.initiate('legacy');
    expect({ status: r.status, out: r.stdout.slice(-1500) }).toEqual(expect.objectContaining({ status: 0 }));
    expect(r.stdout).toMatch(/selected proposal: IKE:3DES_CBC\/HMAC_SHA1_96\/PRF_HMAC_SHA1\/MODP_1024/);
    expect(negotiated(r.stdout)).toEqual({ ike: '3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024', esp: '3DES_CBC/HMAC_SHA1_96' });
    expect(old.virtualIp()).toMatch(/^10\.128\.[4-7]\.\d+$/);
    old.terminate('legacy');
    figures.legacyLegacyOnly = negotiated(r.stdout).ike as string;
  }, 1_200_000);

  test('legacy profile: capable clients still get the strongest suite they offer', () => {
    requireStage('running');
    const legacyClient = (globalThis as Record<string, unknown>).rasLegacyClient as VpnClient;
    // 3DES listed first, AES-256/MODP-2048 later (Windows with NegotiateDH2048_AES256 = 1).
    const first = legacyClient.initiate('win3desfirst');
    expect({ status: first.status, out: first.stdout.slice(-1500) }).toEqual(expect.objectContaining({ status: 0 }));
    expect(negotiated(first.stdout)).toEqual({ ike: 'AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048', esp: 'AES_CBC_256/HMAC_SHA1_96' });
    figures.legacyWindows3desFirst = negotiated(first.stdout).ike as string;
    legacyClient.terminate('win3desfirst');
    // Stock Windows (MODP-1024 only, 3DES first): AES-256 with SHA-256, not 3DES.
    const stock = legacyClient.initiate('windefault');
    expect({ status: stock.status, out: stock.stdout.slice(-1500) }).toEqual(expect.objectContaining({ status: 0 }));
    expect(negotiated(stock.stdout)).toEqual({ ike: 'AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024', esp: 'AES_CBC_256/HMAC_SHA1_96' });
    figures.legacyWindowsDefault = negotiated(stock.stdout).ike as string;
    legacyClient.terminate('windefault');
  });

  test('every refused attempt appears exactly once in the device-authentication stream, with its reason', async () => {
    requireStage('running');
    // A refused EAP login whose client gives up is recorded when the gateway's half-open timeout
    // (30 s) ends the IKE_SA: wait until as many refusals as expected are written (or 60 s).
    await waitFor('refusal records', 60000, () => (authRecords().filter((r) => r.outcome === 'refused').length >= expectedRefusals.length ? true : undefined)).catch(() => undefined);
    await sleep(1000);
    // Attempt records (the session step's "session-ended" records are checked where they happen).
    const records = authRecords().filter((r) => r.event !== 'session-ended');
    const refused = records.filter((r) => r.outcome === 'refused');
    // Every record: JST time, peer and port, the connection tried, a reason of the fixed vocabulary.
    for (const r of records) {
      expect(r).toEqual(expect.objectContaining({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+09:00$/), event: 'ike-attempt', peer: expect.stringMatching(/^(198\.51\.100\.\d+|100\.64\.0\.20)$/), port: expect.stringMatching(/^\d+$/) }));
    }
    expect(refused.map((r) => r.reason).filter((x) => !['no-proposal', 'revoked', 'expired', 'wrong-ca', 'identity-not-allowed', 'auth-failed', 'timeout'].includes(x))).toEqual([]);
    const key = (r: { peer: string; reason: string }) => `${r.peer} ${r.reason}`;
    expect(refused.map(key).sort()).toEqual(expectedRefusals.map(key).sort());
    for (const e of expectedRefusals.filter((x) => x.identity !== undefined)) {
      expect(refused.filter((r) => key(r) === key(e)).map((r) => r.identity)).toEqual([e.identity]);
    }
    const noProposal = refused.filter((r) => r.reason === 'no-proposal');
    expect(noProposal.every((r) => /IKE:3DES_CBC\/HMAC_SHA1_96\/PRF_HMAC_SHA1\/MODP_1024/.test(r.offered ?? ''))).toBe(true);
    expect(refused.find((r) => r.reason === 'identity-not-allowed')?.connection).toMatch(/^eap-/);
    expect(refused.find((r) => r.reason === 'wrong-ca')?.connection).toMatch(/^cert-/);
    expect(refused.filter((r) => r.reason === 'revoked').map((r) => r.connection)).toEqual([expect.stringMatching(/^cert-/), expect.stringMatching(/^cert-/)]);
    // One success record per established tunnel: alice, carol, the L2TP ISAKMP SA, the Windows-like and legacy clients.
    const success = records.filter((r) => r.outcome === 'success');
    const devicePeers: string[] = Object.values(DEVICE_PEERS);
    expect(success.filter((r) => r.identity === ALICE && r.connection.startsWith('cert-') && !devicePeers.includes(r.peer))).toHaveLength(1);
    // The e2e devices: the tablet once, the laptop before its revocation and after its reissue.
    expect(success.filter((r) => r.peer === DEVICE_PEERS.tablet).map((r) => r.serial)).toEqual([devices.tablet]);
    expect(success.filter((r) => r.peer === DEVICE_PEERS.laptop)).toHaveLength(2);
    expect(success.filter((r) => r.identity === CAROL)).toHaveLength(1);
    expect(success.filter((r) => r.connection === 'l2tp-psk')).toHaveLength(1);
    expect(success.filter((r) => r.peer === '198.51.100.14')).toHaveLength(3);
    // Dave's phone: once, over the carrier, on its carrier-only connection.
    expect(success.filter((r) => r.identity === DAVE).map((r) => [r.peer, r.connection.replace(/-[0-9a-f]{12}$/, '')])).toEqual([[CARRIER_DEVICE, 'mobile']]);
    figures.authRecords = records.length;
  }, 1_200_000);

  afterAll(async () => {
    // Disconnect so the vpn-connection stream also records a disconnect (not asserted; informative).
    if (alice) alice.terminate('macos');
    await sleep(200);
  });
});
