/**
 * Output folders written whole or not at all (`ras synth`, `ras build`, `ras report`, `ras check`):
 * a command takes a lock beside each folder (`<dir>.lock`, holding its process id), writes into
 * `<dir>.staging-<pid>` and swaps it in with two renames. An interrupted run (Ctrl-C, SIGKILL, out
 * of memory) leaves the previous folder as it was; its staging folder is removed by the next run,
 * and a second run while one is writing is refused instead of racing it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Another live process is writing the folder. */
export class OutputBusyError extends Error {}

export function stagingDir(dir: string): string {
  return `${dir}.staging-${process.pid}`;
}

/**
 * Locks `dirs` (`<dir>.lock` with this process id) and removes what interrupted runs left beside
 * them. A lock whose process is gone is taken over. Returns the release.
 */
export function lockOutputs(dirs: readonly string[]): () => void {
  const held: string[] = [];
  const release = () => {
    for (const file of held.splice(0)) rmSync(file, { force: true });
  };
  try {
    for (const dir of new Set(dirs)) {
      held.push(acquire(dir));
      clearLeftovers(dir);
    }
  } catch (e) {
    release();
    throw e;
  }
  return release;
}

function acquire(dir: string): string {
  const file = `${dir}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = lockHolder(file);
    if (pid !== undefined && (pid === process.pid || alive(pid))) {
      throw new OutputBusyError(
        `${dir} is being written by another ras run (process ${pid}); wait for it to finish (or, if no such run exists, remove ${file})`,
      );
    }
    // Its process is gone (killed, crashed): the lock is stale.
    rmSync(file, { force: true });
  }
  throw new OutputBusyError(`could not lock ${dir}: ${file} keeps reappearing`);
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Staging folders of runs that are gone are removed, with the folders a run keeps beside its
 * staging folder (`ras build`'s `<dir>.staging-<pid>.fleet` and `.records`); a previous folder set
 * aside by a run killed between the two renames of replaceWhole is put back if nothing replaced it.
 */
function clearLeftovers(dir: string): void {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const name = basename(dir);
  for (const entry of readdirSync(parent)) {
    const m = /^(staging-(\d+)(?:\.[a-z]+)?|old-(\d+))$/.exec(entry.startsWith(`${name}.`) ? entry.slice(name.length + 1) : '');
    const pid = Number(m?.[2] ?? m?.[3]);
    if (m === null || pid === process.pid || alive(pid)) continue;
    const path = join(parent, entry);
    if (m[3] !== undefined && !existsSync(dir)) renameSync(path, dir);
    else rmSync(path, { recursive: true, force: true });
  }
}

/** Swaps the staged output for the old one: two renames, never a half-written folder in place. */
export function replaceWhole(staging: string, outdir: string): void {
  const old = `${outdir}.old-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
}
