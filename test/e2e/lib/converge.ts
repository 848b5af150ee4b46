/**
 * Running the product's playbook against a root filesystem over the chroot connection, as the
 * end-to-end test and the capacity bench both do, with profile_tasks' per-task timings in the
 * output (where a converge spends its time is a measured figure, README "Converge time").
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CLEAN_ENV, run } from './run';

export const REPO = resolve(__dirname, '../../..');
export const ANSIBLE_DIR = join(REPO, 'ansible');

export interface PlaybookRun {
  readonly status: number;
  readonly out: string;
  readonly ms: number;
  /** CPU time (user + system) of the playbook and everything it ran: on a shared machine, steadier than wall time. */
  readonly cpuMs: number;
}

/** CPU time of this process's waited-for children (cutime + cstime of /proc/self/stat), in ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 (13 and 14 after the command name), in 1/100 s.
  return (Number(f[13]) + Number(f[14])) * 10;
}

export function playbook(rootfsDir: string, inventoryFile: string, extra: readonly string[] = []): PlaybookRun {
  const cpu0 = childrenCpuMs();
  const r = run(
    ['ansible-playbook', '-i', inventoryFile, '-e', 'ansible_connection=community.general.chroot', '-e', `ansible_host=${rootfsDir}`, '-e', 'ansible_become=false', ...extra, 'site.yml'],
    {
      cwd: ANSIBLE_DIR,
      env: { ...CLEAN_ENV, HOME: process.env.HOME ?? '/root', ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks', PROFILE_TASKS_TASK_OUTPUT_LIMIT: 'all' },
      timeoutMs: 1_200_000,
    },
  );
  return { status: r.status, out: r.stdout + r.stderr, ms: r.ms, cpuMs: childrenCpuMs() - cpu0 };
}

export function recap(out: string): { changed: number; failed: number } {
  const m = /ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(out);
  if (!m) throw new Error(`no play recap in:\n${out.slice(-3000)}`);
  return { changed: Number(m[1]), failed: Number(m[3]) + Number(m[2]) };
}

/** profile_tasks' summary lines ("role : task ---- 12.34s"), slowest first. */
export function taskTimings(out: string): { task: string; seconds: number }[] {
  return out
    .split('\n')
    .map((l) => /^(.+?) -{3,} (\d+\.\d+)s$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ task: m[1].trim(), seconds: Number(m[2]) }))
    .sort((a, b) => b.seconds - a.seconds);
}

/** A digest of every file under ansible/ (names and contents) and of `extra` texts: a converged image's cache key. */
export function ansibleDigest(extra: readonly string[] = []): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else h.update(`${relative(ANSIBLE_DIR, path)}\0`).update(readFileSync(path)).update('\0');
    }
  };
  walk(ANSIBLE_DIR);
  for (const e of extra) h.update(e).update('\0');
  return h.digest('hex');
}
