/**
 * One side of the review from what the user names: a folder of synthesized output, or a git ref.
 *
 * A git ref is synthesized with THAT ref's own code and contracts, so a construct change shows up:
 * the ref is extracted with `git archive` into a temporary folder (no worktree is registered and
 * the current checkout is untouched), node_modules is linked from the current checkout (so no
 * install and no network; this assumes the ref's dependencies are the current ones, which a
 * lockfile change would break: synthesize such a ref in its own checkout and pass the folder),
 * its TypeScript is built with the current checkout's compiler, and its own
 * `node dist/cli/ras.js synth` writes cdktf.out there.
 *
 * Notice recipients come from the side's contracts, read through contract/'s loader (never parsed
 * here), when the contracts are found: a ref's own, or fleet.yaml + tenants/ beside a folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadFleet, type ContractPaths } from '../contract/load';
import { stackIds } from '../output/read';
import { ReviewInputError } from './errors';
import { readOutput } from './read-output';
import type { Side } from './types';

export interface SideOptions {
  /** Repository that git refs are resolved in. @default process.cwd() */
  readonly repo?: string;
  /** Progress lines (synthesizing a ref takes a while). @default - silent */
  readonly log?: (line: string) => void;
  /** Contracts to read operators from, overriding what is found beside the output. */
  readonly contracts?: ContractPaths;
}

export interface LoadedSide extends Side {
  /** Removes the temporary checkout of a git ref (nothing for a folder). */
  readonly cleanup: () => void;
}

export function loadSide(spec: string, options: SideOptions = {}): LoadedSide {
  const log = options.log ?? (() => undefined);
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const outdir = outputFolder(spec);
    const contracts = options.contracts ?? contractsBeside(resolve(outdir, '..'));
    const root = resolve(outdir, '..');
    return { label: spec, outdir, root, tenants: readOutput(outdir, { rolesDir: rolesDir(root) }), operators: operatorsFrom(contracts, log), cleanup: () => undefined };
  }
  const repo = options.repo ?? process.cwd();
  const sha = git(repo, ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`]);
  if (sha === undefined) throw new ReviewInputError(`${spec} is neither a folder of synthesized output nor a git ref in ${repo}`);
  const top = git(repo, ['rev-parse', '--show-toplevel']) as string;
  const work = mkdtempSync(join(tmpdir(), 'ras-review-'));
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  try {
    log(`${spec} (${sha.slice(0, 12)}): extracting into ${work}, building and synthesizing with its own code`);
    synthesizeRef(top, sha, work);
    const outdir = join(work, 'cdktf.out');
    return { label: spec, outdir, root: work, tenants: readOutput(outdir, { rolesDir: rolesDir(work) }), operators: operatorsFrom(options.contracts ?? contractsBeside(work), log), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/**
 * The synthesized output a folder names: its cdktf.out/ (a checkout), else the folder itself.
 * cdktf.out/ is looked for first because a checkout also holds `stacks/`, the construct sources
 * (.ts files): read as output, that folder is "0 tenants" and the review passes with "No changes".
 * Output is recognised by cdktf's manifest.json or at least one stacks/<tenant>/cdk.tf.json.
 */
function outputFolder(spec: string): string {
  const nested = join(spec, 'cdktf.out');
  if (existsSync(nested) && statSync(nested).isDirectory()) return nested;
  if (existsSync(join(spec, 'manifest.json')) || hasTenantStack(spec)) return spec;
  throw new ReviewInputError(
    `${spec}: not synthesized output (expected cdktf.out/manifest.json or stacks/<tenant>/cdk.tf.json; run \`ras synth\` there first, or pass a git ref)`,
  );
}

function hasTenantStack(outdir: string): boolean {
  return (stackIds(outdir)?.ids.length ?? 0) > 0;
}

function synthesizeRef(top: string, sha: string, work: string): void {
  const tar = join(work, '.ref.tar');
  run('git', ['archive', '--format=tar', '-o', tar, sha], top, `git archive ${sha}`);
  run('tar', ['-xf', tar, '-C', work], work, 'extracting the ref');
  rmSync(tar);
  const modules = join(top, 'node_modules');
  if (!existsSync(modules)) throw new ReviewInputError(`${modules} is missing: run \`npm ci\` in ${top} first`);
  symlinkSync(modules, join(work, 'node_modules'), 'dir');
  const tsc = join(modules, 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], work, `building ${sha.slice(0, 12)}`);
  const cli = join(work, 'dist', 'cli', 'ras.js');
  if (!existsSync(cli)) throw new ReviewInputError(`${sha.slice(0, 12)} has no ras CLI (dist/cli/ras.js) after building; it predates \`ras synth\``);
  run(process.execPath, [cli, 'synth', '--outdir', 'cdktf.out'], work, `ras synth at ${sha.slice(0, 12)}`);
}

function run(command: string, args: string[], cwd: string, what: string): void {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new ReviewInputError(`${what} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout || String(r.error ?? '')).trim()}`);
}

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The Ansible roles whose defaults underlie the gateway variables: the side's own, else (output
 * copied away from its checkout) the current checkout's.
 */
export function rolesDir(root: string): string | undefined {
  return [join(root, 'ansible', 'roles'), resolve('ansible', 'roles')].find((d) => existsSync(d));
}

function contractsBeside(dir: string): ContractPaths | undefined {
  const paths = { fleetFile: join(dir, 'fleet.yaml'), tenantsDir: join(dir, 'tenants') };
  return existsSync(paths.fleetFile) && existsSync(paths.tenantsDir) ? paths : undefined;
}

/** Operators' e-mail addresses by tenant, or undefined (with a note) when the contracts cannot be read. */
function operatorsFrom(paths: ContractPaths | undefined, log: (line: string) => void): Map<string, string[]> | undefined {
  if (paths === undefined) return undefined;
  try {
    const fleet = loadFleet(paths);
    return new Map(fleet.tenants.map((t) => [t.id, t.contract.portal.operators.map((o) => o.email)]));
  } catch (e) {
    log(`notice recipients unknown: the contracts in ${dirname(paths.fleetFile)} could not be loaded (${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
}
