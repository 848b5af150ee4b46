/**
 * What the end-to-end test needs from the machine. A missing piece fails the test with a
 * message naming it (scripts/install-deps.sh installs them); it never skips silently.
 */
import { existsSync } from 'node:fs';

const BINARIES = [
  '/usr/sbin/debootstrap',
  '/usr/bin/ansible-playbook',
  '/usr/bin/ansible-lint',
  '/usr/sbin/ip',
  '/usr/sbin/charon-systemd',
  '/usr/sbin/swanctl',
  '/usr/bin/pki',
  '/usr/sbin/chronyd',
  '/usr/bin/chronyc',
  '/usr/sbin/lynis',
  '/usr/bin/curl',
  '/usr/bin/python3',
  '/usr/bin/unshare',
  '/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so',
  '/usr/lib/ipsec/plugins/libstrongswan-eap-mschapv2.so',
];

export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces, chroot, debootstrap)');
  for (const b of BINARIES) if (!existsSync(b)) missing.push(b);
  return missing;
}
