/**
 * The gateway instance the emulator only pretends to run, made real enough for the hand-off:
 * a Debian 12 root filesystem (the e2e's cached debootstrap, plus what Debian's cloud images
 * ship and the product assumes: openssh-server, python3, sudo), given what cloud-init does at
 * first boot with the user data the emulator stored for the instance, and its sshd run in a
 * network namespace at the private address the emulator gave the instance. The host reaches
 * that address over one veth pair, from an address in the fleet's operations network (the
 * only network the first-boot sshd admits); nothing else of the host's network is touched.
 */
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ensureCachedRootfs, Rootfs } from '../../e2e/lib/rootfs';
import { CLEAN_ENV, Daemons, must, run, waitFor } from '../../e2e/lib/run';
import { addLoopbackAddresses } from '../../e2e/lib/topology';

/** What Debian's genericcloud image has and the minbase debootstrap lacks, of what the product relies on. */
const CLOUD_IMAGE_PACKAGES = ['openssh-server', 'python3', 'sudo'];

/** The port of the package proxy on the host's side of the link. */
const PROXY_PORT = 3142;

/** The cloud-config keys the product's user data uses (gateway-config/cloud-init.ts); anything else fails loudly. */
const FIRST_BOOT_KEYS = new Set(['users', 'disable_root', 'ssh_pwauth', 'write_files']);

interface CloudConfig {
  users?: Array<{ name: string; shell?: string; lock_passwd?: boolean; sudo?: string; ssh_authorized_keys?: string[] }>;
  disable_root?: boolean;
  ssh_pwauth?: boolean;
  write_files?: Array<{ path: string; owner?: string; permissions?: string; content: string }>;
}

export class GatewayHost {
  readonly rootfs: Rootfs;
  readonly ns: string;
  private placed?: { address: string; hostIf: string };
  private readonly clients: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly daemons: Daemons,
    /** The host side's address: one in the fleet's operations CIDR. */
    readonly operationsAddress: string,
    prefix = 'rasdep',
  ) {
    this.rootfs = new Rootfs(join(dir, 'rootfs'));
    this.ns = `${prefix}gw`;
  }

  /** The instance's disk before first boot: the cached Debian 12 base with the cloud image's packages. */
  prepareImage(): void {
    ensureCachedRootfs();
    this.rootfs.create();
    this.rootfs.mountDevpts();
    must(['chroot', this.rootfs.dir, 'apt-get', 'update', '-qq'], { env: { ...CLEAN_ENV, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 600_000 });
    must(['chroot', this.rootfs.dir, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...CLOUD_IMAGE_PACKAGES], {
      env: { ...CLEAN_ENV, DEBIAN_FRONTEND: 'noninteractive' },
      timeoutMs: 600_000,
    });
    // The instance's way to the Debian archive: the proxy the harness runs on the host's side of
    // the link (package-proxy.py); the namespace has no other way out.
    writeFileSync(this.rootfs.path('etc/apt/apt.conf.d/01-deploy-harness-proxy'), `Acquire::http::Proxy "http://${this.operationsAddress}:${PROXY_PORT}";\n`);
  }

  /** What cloud-init's users-groups, ssh and write-files modules do with `userData` (a #cloud-config document). */
  firstBoot(userData: string): void {
    if (!userData.startsWith('#cloud-config\n')) throw new Error(`the instance's user data is not a #cloud-config document: ${userData.slice(0, 80)}`);
    const config = parse(userData) as CloudConfig;
    const unknown = Object.keys(config).filter((k) => !FIRST_BOOT_KEYS.has(k));
    if (unknown.length > 0) throw new Error(`the harness does not apply these cloud-config keys (add them to test/deploy/lib/gateway-host.ts): ${unknown.join(', ')}`);
    const inRoot = (argv: string[]) => must(['chroot', this.rootfs.dir, ...argv]);
    for (const u of config.users ?? []) {
      inRoot(['useradd', '--create-home', '--shell', u.shell ?? '/bin/sh', u.name]);
      if (u.lock_passwd !== false) inRoot(['passwd', '--lock', u.name]);
      if (u.sudo !== undefined) writeFileSync(this.rootfs.path('etc/sudoers.d/90-cloud-init-users'), `${u.name} ${u.sudo}\n`, { mode: 0o440, flag: 'a' });
      const ssh = this.rootfs.path(`home/${u.name}/.ssh`);
      mkdirSync(ssh, { recursive: true });
      writeFileSync(join(ssh, 'authorized_keys'), (u.ssh_authorized_keys ?? []).map((k) => `${k}\n`).join(''), { mode: 0o600 });
      inRoot(['chown', '-R', `${u.name}:${u.name}`, `/home/${u.name}/.ssh`]);
      chmodSync(ssh, 0o700);
    }
    if (config.disable_root === true) {
      const root = this.rootfs.path('root/.ssh');
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'authorized_keys'), '', { mode: 0o600 });
    }
    for (const f of config.write_files ?? []) {
      const path = this.rootfs.path(f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content, { mode: parseInt(f.permissions ?? '0644', 8) });
      inRoot(['chown', f.owner ?? 'root:root', f.path]);
    }
    // The sshd the first boot starts must accept what cloud-init wrote (systemd makes /run/sshd on a VM).
    mkdirSync(this.rootfs.path('run/sshd'), { recursive: true, mode: 0o755 });
    must(['chroot', this.rootfs.dir, '/usr/sbin/sshd', '-t']);
  }

  /** The instance comes up at `address`: its namespace, the host's veth towards it, and its sshd. */
  async boot(address: string, log: string): Promise<void> {
    must(['ip', 'netns', 'add', this.ns]);
    must(['ip', '-n', this.ns, 'link', 'set', 'lo', 'up']);
    const hostIf = `${this.ns}-h`.slice(0, 15);
    this.placed = { address, hostIf };
    must(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'ens5', 'netns', this.ns]);
    must(['ip', 'addr', 'add', `${this.operationsAddress}/32`, 'dev', hostIf]);
    must(['ip', 'link', 'set', hostIf, 'up']);
    must(['ip', 'route', 'add', `${address}/32`, 'dev', hostIf, 'src', this.operationsAddress]);
    must(['ip', '-n', this.ns, 'addr', 'add', `${address}/32`, 'dev', 'ens5']);
    must(['ip', '-n', this.ns, 'link', 'set', 'ens5', 'up']);
    must(['ip', '-n', this.ns, 'route', 'add', `${this.operationsAddress}/32`, 'dev', 'ens5']);
    this.daemons.start('package proxy', ['python3', join(__dirname, 'package-proxy.py'), this.operationsAddress, String(PROXY_PORT)], join(dirname(log), 'package-proxy.log'));
    this.daemons.start('gateway sshd', this.inNs(['/usr/sbin/sshd', '-D', '-e']), log);
    await waitFor(`sshd at ${address}:22`, 20_000, () => (this.tcpOpen(address, 22) ? true : undefined));
  }

  /**
   * A client on the internet side: its own namespace, joined to the gateway by a veth pair and
   * routed to the gateway's private address (as the elastic IP's 1:1 NAT delivers it). Returns its name.
   */
  addClient(short: string, address: string): string {
    if (this.placed === undefined) throw new Error('the gateway has not booted');
    const name = `${this.ns}-${short}`.slice(0, 15);
    must(['ip', 'netns', 'add', name]);
    this.clients.push(name);
    must(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
    const gwIf = `c-${short}`.slice(0, 15);
    must(['ip', '-n', this.ns, 'link', 'add', gwIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    must(['ip', '-n', this.ns, 'link', 'set', gwIf, 'up']);
    must(['ip', '-n', name, 'link', 'set', 'eth0', 'up']);
    must(['ip', '-n', name, 'addr', 'add', `${address}/32`, 'dev', 'eth0']);
    must(['ip', '-n', name, 'route', 'add', `${this.placed.address}/32`, 'dev', 'eth0']);
    must(['ip', '-n', this.ns, 'route', 'add', `${address}/32`, 'dev', gwIf]);
    return name;
  }

  /** The first host address of each of `cidrs` on the gateway's loopback (kernel-libipsec, test/e2e/lib/topology.ts). */
  addLocalAddresses(cidrs: readonly string[]): void {
    addLoopbackAddresses(this.ns, cidrs);
  }

  /** argv running a program of the gateway's root filesystem in its namespace. */
  inNs(argv: readonly string[]): string[] {
    return this.rootfs.inNs(this.ns, argv);
  }

  private tcpOpen(address: string, port: number): boolean {
    const code = 'import socket,sys\ntry:\n socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()\nexcept Exception:\n sys.exit(1)\n';
    return run(['python3', '-c', code, address, String(port)], { timeoutMs: 10_000 }).status === 0;
  }

  /** Removes the host's veth and route, the namespace and the root filesystem; returns what could not be undone. */
  destroy(): string[] {
    const problems: string[] = [];
    for (const c of this.clients.splice(0)) {
      const r = run(['ip', 'netns', 'del', c]);
      if (r.status !== 0) problems.push(`ip netns del ${c}: ${r.stderr.trim()}`);
    }
    if (this.placed !== undefined) {
      // sshd's session processes outlive its listener (the hand-off's ControlPersist connection is
      // still open) and, once the link is gone, would wait for the client for hours; every process
      // of the gateway's namespace goes with it.
      const pids = run(['ip', 'netns', 'pids', this.ns]).stdout.split('\n').filter((p) => /^\d+$/.test(p));
      if (pids.length > 0) run(['kill', '-KILL', ...pids]);
      run(['ip', 'link', 'del', this.placed.hostIf]);
      const r = run(['ip', 'netns', 'del', this.ns]);
      if (r.status !== 0) problems.push(`ip netns del ${this.ns}: ${r.stderr.trim()}`);
      this.placed = undefined;
    }
    problems.push(...this.rootfs.destroy());
    return problems;
  }
}
