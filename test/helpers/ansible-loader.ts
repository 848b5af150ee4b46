/** Ansible's own YAML loader (Debian's python3 + ansible), for tests that compare readers with it. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export type AnsibleLoad = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

const PYTHON = process.env.RAS_ANSIBLE_PYTHON ?? '/usr/bin/python3';

/** Each text as Ansible loads it (one process for the whole list). Throws when Ansible is missing. */
export function loadWithAnsible(texts: readonly string[]): AnsibleLoad[] {
  const r = spawnSync(PYTHON, [join(__dirname, 'ansible_load.py')], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`Ansible's YAML loader is required (Debian's ansible, installed by scripts/install-deps.sh): ${r.error?.message ?? r.stderr}`);
  }
  return JSON.parse(r.stdout) as AnsibleLoad[];
}
