/**
 * The gateway's first-boot configuration (EC2 user data, cloud-init): the fleet's operations
 * accounts with their SSH public keys, no password, and sshd admitting only those accounts from
 * the operations network. It assumes nothing of the image beyond a Debian 12 base with
 * cloud-init; the playbook then converges everything else over SSH with the hand-off account.
 *
 * Only fleet settings reach it (account names and public keys, both schema-checked); no contract
 * text, and no secret: public keys only.
 */
import { stringify } from 'yaml';
import type { FleetSettings } from '../contract/types';

/** The sshd drop-in written at first boot (Debian 12's sshd_config includes sshd_config.d/*.conf). */
export const OPERATIONS_SSHD_FILE = '/etc/ssh/sshd_config.d/05-ras-operations.conf';

export function operationsUserData(fleet: FleetSettings): string {
  const access = fleet.operationsAccess;
  const sshd = [
    '# RAS operations access, written by cloud-init at first boot (fleet.yaml operationsAccess).',
    'PermitRootLogin no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'AuthenticationMethods publickey',
    `AllowUsers ${access.accounts.map((a) => `${a.name}@${fleet.operationsCidr}`).join(' ')}`,
    '',
  ].join('\n');
  const config = {
    // No image default user: only the accounts listed here exist.
    users: access.accounts.map((a) => ({
      name: a.name,
      shell: '/bin/bash',
      lock_passwd: true,
      sudo: 'ALL=(ALL) NOPASSWD:ALL',
      ssh_authorized_keys: [...a.sshPublicKeys],
    })),
    disable_root: true,
    ssh_pwauth: false,
    // cloud-init runs before sshd starts, so the first sshd already applies this.
    write_files: [{ path: OPERATIONS_SSHD_FILE, owner: 'root:root', permissions: '0644', content: sshd }],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}
