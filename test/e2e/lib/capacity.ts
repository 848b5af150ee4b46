/**
 * The gateway at its limits: the product's converged gateway (a bench tenant with `max`
 * certificate identities, converged by the real role) in its namespace, and ONE initiator (the
 * host's charon-systemd with its own strongswan.conf, vici socket and namespace; Debian ships no
 * load-tester plugin) loading a generated swanctl.conf with N connections, each its own identity,
 * certificate, source address and virtual IP. Used by `npm run bench:gateway` and, at a small N,
 * by the end-to-end suite.
 *
 * The converged root filesystem is cached as a tarball keyed by the content of ansible/, the
 * bench tenant and fleet.yaml, with the test CA that signed its certificates (root-only cache).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadFleet } from '../../../contract/load';
import type { TenantModel } from '../../../contract/model';
import type { TenantContract } from '../../../contract/types';
import { SECRET_NAMES, writeGatewayConfig } from '../../../gateway-config';
import { certPem, createRoot, generateKeyPair, newSerial, privateKeyPem, x509, EKU_CLIENT_AUTH, EKU_IKE_INTERMEDIATE, type Issuer } from '../../../devices/ca';
import { ansibleDigest, playbook, recap, REPO } from './converge';
import { CACHE_DIR, ensureCachedRootfs, Rootfs } from './rootfs';
import { CLEAN_ENV, Daemons, must, run, sleep, waitFor } from './run';
import { ADDR, Topology } from './topology';
import { clientCharonConf } from './vpn-client';
import { randomSecret } from './pki';
import { SIZE_CLASSES } from '../../../lib/sizing';

export const BENCH_TENANT = 'capacity-bench';
/** Clients come from the carrier-grade NAT range, one address each (the gateway limits half-open SAs per peer address). */
const CLIENT_NET = { gateway: '100.64.0.1', prefix: 16 };
const DAY_MS = 86_400_000;

export const identityOf = (i: number): string => `term-${String(i).padStart(5, '0')}@capacity-bench.example`;
const clientAddress = (i: number): string => `100.64.${1 + (i >> 8)}.${i & 255}`;

/** The bench tenant: sakura-trading's contract with `max` certificate identities in one group, IKEv2 only, no closed mobile access. */
export function benchContract(max: number): TenantContract {
  const base = parse(readFileSync(join(REPO, 'tenants', 'sakura-trading.yaml'), 'utf8')) as TenantContract;
  // No closed mobile access: its identities are sakura-trading's, not the bench's terminals.
  const { closedMobile: _closedMobile, ...gateway } = base.gateway;
  return {
    ...base,
    tenant: BENCH_TENANT,
    gateway: {
      ...gateway,
      // Declared for its identities (within the largest class), so the gateway is configured
      // for the load it is measured under: its COOKIE threshold and half-open limit come from the
      // size class (a small class's gateway met with 1,000 terminals at once challenged them).
      sizing: { terminals: Math.min(max, SIZE_CLASSES[SIZE_CLASSES.length - 1].maxTerminals), requestsPerSecond: 1 },
      protocols: ['ikev2'],
      authentication: ['certificate'],
      clientPool: '10.128.0.0/17',
    },
    accessControl: {
      ...base.accessControl,
      userGroups: [{ name: 'terminals', members: Array.from({ length: max }, (_, i) => identityOf(i)) }],
      rules: [{ userGroup: 'terminals', hostGroup: 'intranet-web', serviceGroup: 'web' }],
    },
  };
}

interface BenchCa {
  readonly issuer: Issuer;
  readonly certFile: string;
}

async function newCa(dir: string): Promise<BenchCa> {
  const keys = await generateKeyPair('P-384');
  const cert = await createRoot('RAS capacity bench', keys, new Date(Date.now() - DAY_MS));
  writeFileSync(join(dir, 'ca.crt'), certPem(cert));
  writeFileSync(join(dir, 'ca.key'), await privateKeyPem(keys.privateKey), { mode: 0o600 });
  return { issuer: { cert, key: keys.privateKey }, certFile: join(dir, 'ca.crt') };
}

async function loadCa(dir: string): Promise<BenchCa> {
  const cert = new x509.X509Certificate(readFileSync(join(dir, 'ca.crt'), 'utf8'));
  const der = x509.PemConverter.decode(readFileSync(join(dir, 'ca.key'), 'utf8'))[0];
  const { webcrypto } = await import('node:crypto');
  const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign']);
  return { issuer: { cert, key }, certFile: join(dir, 'ca.crt') };
}

/** An end-entity ECDSA P-256 certificate (identity in the subjectAltName, as the product's device certificates). */
async function issue(ca: Issuer, identity: string, kind: 'email' | 'dns', ekus: string[]): Promise<{ cert: string; key: string }> {
  const keys = await generateKeyPair('P-256');
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: `C=JP, O=RAS capacity bench, CN=${identity}`,
    issuer: ca.cert.subjectName,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 30 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(ekus, false),
      new x509.SubjectAlternativeNameExtension([{ type: kind, value: identity }], false),
      new x509.AuthorityKeyIdentifierExtension(ca.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? ''),
    ],
  });
  return { cert: certPem(cert), key: await privateKeyPem(keys.privateKey) };
}

export interface ConvergedImage {
  readonly tarball: string;
  readonly ca: BenchCa;
  readonly tenant: TenantModel;
  /** Converge figures of the run that built the image (0 when it came from the cache). */
  readonly convergeMs: number;
}

/**
 * The converged gateway image for a bench tenant of `max` identities: from the cache, or built
 * (fresh minbase rootfs, the product's playbook, then the harness-only kernel-libipsec package).
 */
export async function convergedImage(max: number, work: string): Promise<ConvergedImage> {
  ensureCachedRootfs();
  const contract = benchContract(max);
  const contractText = stringify(contract);
  const fleetText = readFileSync(join(REPO, 'fleet.yaml'), 'utf8');
  const key = ansibleDigest([contractText, fleetText, 'kernel-libipsec']).slice(0, 16);
  const cache = join(CACHE_DIR, `capacity-${key}`);
  const tenantsDir = join(work, 'tenants');
  mkdirSync(tenantsDir, { recursive: true });
  writeFileSync(join(tenantsDir, `${BENCH_TENANT}.yaml`), contractText);
  const loaded = loadFleet({ fleetFile: join(REPO, 'fleet.yaml'), tenantsDir });
  const tenant = loaded.tenants.find((t) => t.id === BENCH_TENANT) as TenantModel;
  const tarball = join(cache, 'root.tar');
  if (existsSync(tarball)) return { tarball, ca: await loadCa(cache), tenant, convergeMs: 0 };

  mkdirSync(cache, { recursive: true, mode: 0o700 });
  const ca = await newCa(cache);
  const secrets = join(work, 'secrets', BENCH_TENANT);
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const gateway = await issue(ca.issuer, 'vpn.capacity-bench.test', 'dns', ['1.3.6.1.5.5.7.3.1', EKU_IKE_INTERMEDIATE]);
  writeFileSync(join(secrets, SECRET_NAMES.caCertificate), readFileSync(ca.certFile));
  writeFileSync(join(secrets, SECRET_NAMES.gatewayCertificate), gateway.cert);
  writeFileSync(join(secrets, SECRET_NAMES.gatewayKey), gateway.key, { mode: 0o600 });
  writeFileSync(join(secrets, SECRET_NAMES.eapUsers), '{}', { mode: 0o600 });
  writeFileSync(join(secrets, SECRET_NAMES.l2tpPsk), randomSecret(), { mode: 0o600 });
  const fleet = { ...loaded.settings, ntpServers: [ADDR.backbone], secretStore: { kind: 'file' as const, pathPrefix: join(work, 'secrets') } };
  const inventory = writeGatewayConfig(join(work, 'stack'), tenant, fleet).inventoryFile;

  const rootfs = new Rootfs(join(work, 'build-root'));
  try {
    rootfs.create();
    const t0 = Date.now();
    const converge = playbook(rootfs.dir, inventory);
    if (converge.status !== 0 || recap(converge.out).failed !== 0) throw new Error(`converge of the bench gateway failed:\n${converge.out.slice(-6000)}`);
    const convergeMs = Date.now() - t0;
    // Harness only: this kernel has no ESP, so charon uses user-space ESP (kernel-libipsec).
    must(['chroot', rootfs.dir, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'libcharon-extra-plugins'], { env: { ...CLEAN_ENV, DEBIAN_FRONTEND: 'noninteractive' } });
    must(['tar', '-C', rootfs.dir, '--one-file-system', '-cf', `${tarball}.tmp`, '.']);
    renameSync(`${tarball}.tmp`, tarball);
    return { tarball, ca, tenant, convergeMs };
  } finally {
    rootfs.destroy();
  }
}

/** Linux clock ticks per second (USER_HZ), for /proc/<pid>/stat. */
const HZ = 100;

export interface ProcessSample {
  readonly rssKiB: number;
  readonly cpuS: number;
}

export function sampleProcess(pid: number): ProcessSample {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
  return { rssKiB: Number(rss?.[1] ?? NaN), cpuS: (Number(fields[11]) + Number(fields[12])) / HZ };
}

/** IKE_SAs total and half-open from `swanctl --stats`. */
export function parseStats(out: string): { total: number; halfOpen: number } {
  const m = /IKE_SAs: (\d+) total, (\d+) half-open/.exec(out);
  if (!m) throw new Error(`no IKE_SA count in swanctl --stats:\n${out}`);
  return { total: Number(m[1]), halfOpen: Number(m[2]) };
}

/** Established IKE_SAs and installed CHILD_SAs in a `swanctl --list-sas` listing, with each CHILD_SA's install age (s). */
export function parseSas(out: string): { established: number; installed: number; installedAgesS: number[] } {
  const established = (out.match(/^\S+: #\d+, ESTABLISHED/gm) ?? []).length;
  const children = [...out.matchAll(/^\s+\S+: #\d+, reqid \d+, INSTALLED[^\n]*\n(?:[^\n]*\n){0,2}?\s+installed (\d+)s ago/gm)];
  return { established, installed: (out.match(/, INSTALLED, /g) ?? []).length, installedAgesS: children.map((m) => Number(m[1])) };
}

export interface CapacityOptions {
  /** Terminals to connect. */
  readonly terminals: number;
  /** Identities the gateway is converged for (the image is cached per value). */
  readonly max: number;
  /** Working folder (removed by the caller). */
  readonly work: string;
  /** Namespace prefix, unique per run. */
  readonly prefix: string;
  /** CHILD_SA rekey time set on the initiator for the rekey storm (s); 0: no storm. */
  readonly rekeyS: number;
  /** Give up when no further IKE_SA establishes for this long (s). */
  readonly stallS: number;
  readonly log?: (line: string) => void;
}

export interface CapacityResult {
  readonly terminals: number;
  readonly established: number;
  readonly childSasInstalled: number;
  readonly establishS: number;
  readonly tunnelsPerS: number;
  readonly gatewayRssIdleKiB: number;
  readonly gatewayRssKiB: number;
  readonly rssPerIkeSaKiB: number;
  readonly gatewayCpuS: number;
  readonly gatewayCpuMsPerTunnel: number;
  readonly initiatorCpuS: number;
  /** rsyslogd's CPU over the connect phase (the log streams and the per-attempt records). */
  readonly gatewayLogCpuS: number;
  readonly xfrmStates: number;
  /** Attempts the gateway refused while all connected (each retried by the initiator), by reason. */
  readonly authRefusals: Record<string, number>;
  readonly loadAverage1m: number;
  readonly limitedBy?: string;
  readonly rekey?: { readonly rekeyed: number; readonly windowS: number; readonly perS: number; readonly gatewayCpuS: number; readonly establishedAfter: number };
  readonly convergeMs: number;
}

/** One measured run at `terminals`: start the gateway and the initiator, connect all, rekey, tear down. */
export async function measureCapacity(o: CapacityOptions): Promise<CapacityResult> {
  const log = o.log ?? (() => undefined);
  const image = await convergedImage(o.max, join(o.work, 'image'));
  log(`image ${image.tarball}${image.convergeMs > 0 ? ` (converged in ${image.convergeMs} ms)` : ' (cached)'}`);
  const daemons = new Daemons();
  const rootfs = new Rootfs(join(o.work, 'root'));
  const topo = new Topology(o.prefix);
  try {
    rootfs.create(image.tarball);
    writeFileSync(rootfs.path('etc/strongswan.d/zz-capacity-harness.conf'), 'charon {\n  plugins {\n    kernel-libipsec {\n      load = yes\n    }\n  }\n}\n');
    topo.build(image.tenant.contract.gateway.clientPool);
    for (const [k, v] of rootfs.namespacedSysctls('90-ras-hardening.conf')) must(['ip', 'netns', 'exec', topo.gw, 'sysctl', '-q', '-w', `${k}=${v}`]);
    topo.addLocalAddresses(image.tenant.network.customerCidrs);
    must(['ip', '-n', topo.gw, 'addr', 'add', `${CLIENT_NET.gateway}/${CLIENT_NET.prefix}`, 'dev', 'inet']);
    must(rootfs.inNs(topo.gw, ['nft', '--file', '/etc/nftables.conf']));
    const logs = join(o.work, 'logs');
    mkdirSync(logs, { recursive: true });
    // The gateway's log router with its per-attempt record writer (ras-auth-records): part of
    // what each tunnel costs the gateway.
    const syslogPid = daemons.start('rsyslogd', rootfs.inNs(topo.gw, ['/usr/sbin/rsyslogd', '-n', '-iNONE']), join(logs, 'rsyslogd.log'));
    await waitFor('rsyslog socket', 10000, () => (existsSync(rootfs.path('dev/log')) ? true : undefined));
    const gwPid = daemons.start('charon', rootfs.inNs(topo.gw, ['/usr/sbin/charon-systemd']), join(logs, 'gateway-charon.log'));
    await waitFor('gateway vici socket', 15000, () => (existsSync(rootfs.path('run/charon.vici')) ? true : undefined));
    must(rootfs.inNs(topo.gw, ['swanctl', '--load-all', '--noprompt']));
    const gwStats = () => parseStats(run(rootfs.inNs(topo.gw, ['swanctl', '--stats'])).stdout);

    // The initiator: one namespace, one address per terminal.
    const initNs = topo.addClient('init', '198.51.100.50');
    const batch = Array.from({ length: o.terminals }, (_, i) => `addr add ${clientAddress(i)}/${CLIENT_NET.prefix} dev eth0`).join('\n');
    must(['ip', '-n', initNs, '-batch', '-'], { input: `${batch}\n` });
    const dir = join(o.work, 'initiator');
    for (const sub of ['x509', 'x509ca', 'private']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'x509ca', 'ca.crt'), readFileSync(image.ca.certFile));
    const t0 = Date.now();
    for (let i = 0; i < o.terminals; i++) {
      const c = await issue(image.ca.issuer, identityOf(i), 'email', [EKU_CLIENT_AUTH, EKU_IKE_INTERMEDIATE]);
      writeFileSync(join(dir, 'x509', `t${i}.crt`), c.cert);
      writeFileSync(join(dir, 'private', `t${i}.key`), c.key, { mode: 0o600 });
    }
    log(`${o.terminals} client certificates in ${Date.now() - t0} ms`);
    const socket = `unix://${join(dir, 'charon.vici')}`;
    writeFileSync(join(dir, 'strongswan.conf'), initiatorConf(dir, socket));
    const conns = ['connections {'];
    const child = o.rekeyS > 0 ? [`        rekey_time = ${o.rekeyS}s`] : [];
    for (let i = 0; i < o.terminals; i++) {
      // One setting per line: swanctl silently drops a second one on the same line.
      conns.push(
        `  t${i} {`,
        '    version = 2',
        `    local_addrs = ${clientAddress(i)}`,
        `    remote_addrs = ${ADDR.gwInternet}`,
        '    proposals = aes256gcm16-prfsha384-ecp384',
        '    encap = yes',
        '    vips = 0.0.0.0',
        // A refused attempt is tried again, as a stock client does (counted in authRefusals).
        '    keyingtries = 3',
        '    local {',
        '      auth = pubkey',
        `      id = ${identityOf(i)}`,
        `      certs = t${i}.crt`,
        '    }',
        '    remote {',
        '      auth = pubkey',
        '      id = %any',
        '      cacerts = ca.crt',
        '    }',
        '    children {',
        `      t${i} {`,
        `        remote_ts = ${image.tenant.network.customerCidrs.join(', ')}`,
        '        esp_proposals = aes256gcm16',
        '        start_action = start',
        ...child,
        '      }',
        '    }',
        '  }',
      );
    }
    conns.push('}', '');
    writeFileSync(join(dir, 'swanctl.conf'), conns.join('\n'), { mode: 0o600 });
    const initPid = daemons.start('initiator', ['ip', 'netns', 'exec', initNs, '/usr/sbin/charon-systemd'], join(logs, 'initiator-stdout.log'), { ...CLEAN_ENV, STRONGSWAN_CONF: join(dir, 'strongswan.conf') });
    await waitFor('initiator vici socket', 15000, () => (existsSync(join(dir, 'charon.vici')) ? true : undefined));
    const swanctlEnv = { env: { ...CLEAN_ENV, SWANCTL_DIR: dir }, timeoutMs: 600_000 };
    must(['swanctl', '--load-creds', '--noprompt', '--uri', socket], swanctlEnv);
    await sleep(1000);
    const idle = sampleProcess(gwPid);
    const initIdle = sampleProcess(initPid);
    const logIdle = sampleProcess(syslogPid);

    // Connect: loading connections with start_action = start initiates all of them at once.
    const start = Date.now();
    must(['swanctl', '--load-conns', '--uri', socket], swanctlEnv);
    let best = 0;
    let lastProgress = Date.now();
    let established = 0;
    let limitedBy: string | undefined;
    for (;;) {
      const s = gwStats();
      established = s.total - s.halfOpen;
      if (established > best) {
        best = established;
        lastProgress = Date.now();
      }
      if (established >= o.terminals) break;
      if (Date.now() - lastProgress > o.stallS * 1000) {
        limitedBy = `no further IKE_SA established for ${o.stallS} s (${established} of ${o.terminals}, ${s.halfOpen} half-open)`;
        break;
      }
      await sleep(200);
    }
    // Then until every terminal's CHILD_SA is installed too (the listing costs the gateway
    // more than --stats, so it is polled only now).
    const gwSas = () => parseSas(run(rootfs.inNs(topo.gw, ['swanctl', '--list-sas', '--noblock']), { timeoutMs: 120_000 }).stdout);
    let listing = gwSas();
    while (limitedBy === undefined && listing.installed < o.terminals) {
      if (Date.now() - lastProgress > o.stallS * 1000) {
        limitedBy = `no further CHILD_SA installed for ${o.stallS} s (${listing.installed} of ${o.terminals})`;
        break;
      }
      await sleep(1000);
      const next = gwSas();
      if (next.installed > listing.installed) lastProgress = Date.now();
      listing = next;
    }
    const establishS = (Date.now() - start) / 1000;
    const busy = sampleProcess(gwPid);
    const initBusy = sampleProcess(initPid);
    const logBusy = sampleProcess(syslogPid);
    const load = loadavg()[0];
    // Attempts the gateway refused during the connect phase, by reason (its own ras-auth records).
    const refusals: Record<string, number> = {};
    for (const m of readFileSync(rootfs.path('var/log/ras/device-authentication.log'), 'utf8').matchAll(/ ras-auth: .*outcome=refused reason=(\S+)/g)) refusals[m[1]] = (refusals[m[1]] ?? 0) + 1;
    const xfrm = run(['ip', '-n', topo.gw, 'xfrm', 'state']).stdout.split('\n').filter((l) => l.startsWith('src ')).length;
    log(`${listing.established} IKE_SAs established, ${listing.installed} CHILD_SAs installed in ${establishS.toFixed(1)} s`);

    let rekey: CapacityResult['rekey'];
    if (o.rekeyS > 0 && limitedBy === undefined) {
      // Every CHILD_SA rekeys between 0.9 and 1.0 times rekey_time after it was installed
      // (charon's default rand_time); wait for the last one plus a margin.
      const before = sampleProcess(gwPid);
      const due = start + o.rekeyS * 1000 + establishS * 1000 + 15_000;
      while (Date.now() < due) await sleep(1000);
      const after = sampleProcess(gwPid);
      const sinceStart = (Date.now() - start) / 1000;
      const sas = parseSas(run(['swanctl', '--list-sas', '--uri', socket], { timeoutMs: 120_000 }).stdout);
      // A CHILD_SA installed after the connect phase ended is a rekeyed one.
      const rekeyedAt = sas.installedAgesS.map((age) => sinceStart - age).filter((t) => t > establishS);
      const windowS = rekeyedAt.length > 0 ? Math.max(...rekeyedAt) - Math.min(...rekeyedAt) : 0;
      rekey = {
        rekeyed: rekeyedAt.length,
        windowS: round(windowS),
        perS: round(windowS > 0 ? rekeyedAt.length / windowS : rekeyedAt.length),
        gatewayCpuS: round(after.cpuS - before.cpuS),
        establishedAfter: parseStats(run(rootfs.inNs(topo.gw, ['swanctl', '--stats'])).stdout).total,
      };
      log(`rekey storm: ${JSON.stringify(rekey)}`);
    }
    return {
      terminals: o.terminals,
      established: listing.established,
      childSasInstalled: listing.installed,
      establishS: round(establishS),
      tunnelsPerS: round(listing.established / establishS),
      gatewayRssIdleKiB: idle.rssKiB,
      gatewayRssKiB: busy.rssKiB,
      rssPerIkeSaKiB: round((busy.rssKiB - idle.rssKiB) / Math.max(1, listing.established)),
      gatewayCpuS: round(busy.cpuS - idle.cpuS),
      gatewayCpuMsPerTunnel: round(((busy.cpuS - idle.cpuS) * 1000) / Math.max(1, listing.established)),
      initiatorCpuS: round(initBusy.cpuS - initIdle.cpuS),
      gatewayLogCpuS: round(logBusy.cpuS - logIdle.cpuS),
      xfrmStates: xfrm,
      authRefusals: refusals,
      loadAverage1m: round(load),
      ...(limitedBy ? { limitedBy } : {}),
      ...(rekey ? { rekey } : {}),
      convergeMs: image.convergeMs,
    };
  } finally {
    await daemons.stopAll();
    // The gateway's streams (charon's lines and the ras-auth records) stay with the run's logs:
    // a refused or stalled run is diagnosed from them after the root filesystem is gone.
    const streams = rootfs.path('var/log/ras');
    if (existsSync(streams)) cpSync(streams, join(o.work, 'logs', 'gateway-streams'), { recursive: true });
    topo.destroy();
    rootfs.destroy();
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** The initiator's strongswan.conf: its own vici socket and resolv file, user-space ESP, quiet logs. */
function initiatorConf(dir: string, socket: string): string {
  return clientCharonConf({
    dir,
    socket,
    log: 'initiator',
    levels: ['default = 0'],
    // Each terminal's virtual IP on the initiator's TUN device (install_virtual_ip): kernel-libipsec
    // routes the customer networks from it and fails the CHILD_SA when the address is not local.
    // A large SA table: the initiator must not be what limits the measurement.
    charon: ['ikesa_table_size = 4096', 'ikesa_table_segments = 16'],
  });
}

/** The machine the figures were taken on. */
export function machine(): { cpus: number; model: string } {
  const c = cpus();
  return { cpus: c.length, model: c[0]?.model ?? 'unknown' };
}
