/**
 * A real Debian 12 root filesystem for the gateway: debootstrap --variant=minbase once, cached
 * as a tarball (RAS_E2E_CACHE, default /var/cache/ras-e2e), unpacked fresh for every run so
 * the first converge always starts from a clean image. The harness gives it /proc, a private
 * /dev (a tmpfs with the few device nodes daemons need, so nothing touches the host's /dev)
 * and a tmpfs /run, and a policy-rc.d that stops package scripts from starting services.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must, run } from './run';

export const CACHE_DIR = process.env.RAS_E2E_CACHE ?? '/var/cache/ras-e2e';
const TARBALL = join(CACHE_DIR, 'bookworm-minbase.tar');
const MIRROR = 'http://deb.debian.org/debian';

/** Builds the cached tarball if missing; returns the time spent (0 when cached). */
export function ensureCachedRootfs(): number {
  if (existsSync(TARBALL)) return 0;
  const t0 = Date.now();
  mkdirSync(CACHE_DIR, { recursive: true });
  const build = join(CACHE_DIR, `build-${process.pid}`);
  must(['debootstrap', '--variant=minbase', 'bookworm', build, MIRROR], { timeoutMs: 900_000 });
  must(['tar', '-C', build, '-cf', `${TARBALL}.tmp`, '.']);
  renameSync(`${TARBALL}.tmp`, TARBALL);
  must(['rm', '-rf', '--one-file-system', build]);
  return Date.now() - t0;
}

const DEVICES: readonly [string, number, number][] = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
  ['net/tun', 10, 200],
];

export class Rootfs {
  private readonly mounts: string[] = [];

  constructor(readonly dir: string) {}

  /** Unpacks the cached image (or `tarball`, a converged one) and prepares it for chroot use. */
  create(tarball = TARBALL): void {
    mkdirSync(this.dir, { recursive: true });
    must(['tar', '-C', this.dir, '-xf', tarball]);
    writeFileSync(join(this.dir, 'usr/sbin/policy-rc.d'), '#!/bin/sh\n# e2e harness: package scripts start nothing in the chroot.\nexit 101\n');
    chmodSync(join(this.dir, 'usr/sbin/policy-rc.d'), 0o755);
    copyFileSync('/etc/resolv.conf', join(this.dir, 'etc/resolv.conf'));
    this.mount(['-t', 'proc', 'proc'], 'proc');
    this.mount(['-t', 'tmpfs', '-o', 'mode=0755,nosuid', 'tmpfs'], 'dev');
    for (const [name, major, minor] of DEVICES) {
      const path = join(this.dir, 'dev', name);
      mkdirSync(join(path, '..'), { recursive: true });
      must(['mknod', '-m', '0666', path, 'c', String(major), String(minor)]);
    }
    this.mount(['-t', 'tmpfs', '-o', 'mode=0755,nosuid,nodev', 'tmpfs'], 'run');
    mkdirSync(join(this.dir, 'run/lock'), { recursive: true });
  }

  /**
   * A private devpts at /dev/pts (and /dev/ptmx towards it), as a VM's boot mounts one: sshd
   * allocates terminals there for sessions that ask for one (Ansible's raw module does).
   */
  mountDevpts(): void {
    this.mount(['-t', 'devpts', '-o', 'newinstance,ptmxmode=0666,mode=0620', 'devpts'], 'dev/pts');
    symlinkSync('pts/ptmx', join(this.dir, 'dev/ptmx'));
  }

  /**
   * Mounts (or, for a file system the harness mounted already such as /proc, remounts) what the
   * converged root filesystem's /etc/fstab says for `target`, as the VM does at boot; fails when
   * fstab has no line for it (the role did not configure it). Returns the options applied.
   */
  mountFromFstab(target: string): string {
    const line = this.read('etc/fstab')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f[1] === target && !f[0].startsWith('#'));
    if (line === undefined) throw new Error(`etc/fstab of the root filesystem has no line for ${target}`);
    const path = this.path(target);
    if (this.mounts.includes(path)) must(['mount', '-o', `remount,${line[3]}`, path]);
    else this.mount(['-t', line[2], '-o', line[3], line[0]], target.replace(/^\//, ''));
    return line[3];
  }

  /**
   * The network-namespaced kernel parameters (net.ipv4.*, net.ipv6.*) of the root filesystem's
   * /etc/sysctl.d/`file`, which systemd-sysctl applies at boot. Only these are applied by the
   * harness (inside the gateway's namespace): the others are global and would change the host.
   */
  namespacedSysctls(file: string): [string, string][] {
    return this.read(`etc/sysctl.d/${file}`)
      .split('\n')
      .map((l) => /^\s*(net\.ipv[46]\.[\w.-]+)\s*=\s*(\S+)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]);
  }

  private mount(args: string[], target: string): void {
    const path = join(this.dir, target);
    mkdirSync(path, { recursive: true });
    must(['mount', ...args, path]);
    this.mounts.push(path);
  }

  path(p: string): string {
    return join(this.dir, p);
  }

  read(p: string): string {
    return readFileSync(this.path(p), 'utf8');
  }

  /** argv running a program inside the root filesystem in a network namespace. */
  inNs(ns: string, argv: readonly string[]): string[] {
    return ['ip', 'netns', 'exec', ns, 'chroot', this.dir, ...argv];
  }

  /** Unmounts everything; removes the tree only when nothing is mounted below it any more. */
  destroy(): string[] {
    const problems: string[] = [];
    for (const m of [...this.mounts].reverse()) {
      const r = run(['umount', '-l', m]);
      if (r.status !== 0) problems.push(`umount ${m}: ${r.stderr.trim()}`);
    }
    this.mounts.length = 0;
    const stillMounted = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[4]?.startsWith(this.dir));
    if (stillMounted) problems.push(`${this.dir} still has mounts; left in place`);
    else if (existsSync(this.dir)) run(['rm', '-rf', '--one-file-system', this.dir]);
    return problems;
  }
}
