/** The Ansible roles shipped with this code, wherever it runs from (sources, dist/, a checkout elsewhere than the working folder). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `<checkout>/ansible/roles`, found upwards from this file (it runs as lib/ and as dist/lib/). */
export function productRolesDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const roles = join(dir, 'ansible', 'roles');
    if (existsSync(join(roles, 'hardening', 'tasks', 'main.yml'))) return roles;
  }
  throw new Error(`ansible/roles not found above ${__dirname}: the product's roles ship with its code`);
}

/**
 * The roles the rules read when none are named: `./ansible/roles` when the working folder has
 * them (a checkout of this product, or a fleet repository that carries its own copy), else the
 * roles shipped with this code. Never none: without role defaults every gateway rule would fail
 * closed on variables the playbook does set.
 */
export function defaultRolesDir(): string {
  const local = join('ansible', 'roles');
  return existsSync(join(local, 'hardening', 'tasks', 'main.yml')) ? local : productRolesDir();
}
