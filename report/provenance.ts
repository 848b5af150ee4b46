/**
 * What a report was made from, shown on every report's first screen and page: the commit of
 * the code, the contracts (their commit when they are committed unchanged, and always their
 * SHA-256), the tool's version, when (JST), and what the evidence is. Today the evidence is
 * always the intended configuration (the synthesized output); `evidence` is a list so that a
 * reading of the deployed state (`ras drift`) can be added beside it and the two compared.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ContractPaths } from '../contract/load';
import { timestampInJapan } from '../lib/calendar';

export type EvidenceKind = 'intended_configuration' | 'deployed_state';

export interface EvidenceReading {
  readonly kind: EvidenceKind;
  /** Where it was read from (the synthesized output folder; for deployed state, the state read). */
  readonly source: string;
}

export interface Provenance {
  /** When the report was made, in JST (+09:00); SOURCE_DATE_EPOCH when set, for reproducible output. */
  readonly generatedAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** The code's commit; `dirty` when the checkout had uncommitted changes; `(not in git)` outside a repository. */
  readonly code: { readonly commit: string; readonly dirty: boolean };
  /** The contracts judged: their commit when committed and unchanged, and each file's SHA-256. */
  readonly contracts: { readonly commit?: string; readonly files: readonly { readonly file: string; readonly sha256: string }[] };
  readonly evidence: readonly EvidenceReading[];
}

export const NOT_IN_GIT = '(not in git)';

/** The report's time: SOURCE_DATE_EPOCH (seconds) when set, else now; in JST. */
export function reportTime(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return timestampInJapan(new Date());
  if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970 (got ${JSON.stringify(epoch)})`);
  return timestampInJapan(new Date(Number(epoch) * 1000));
}

function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The folder holding this tool's package.json (works from the sources and from dist/). */
function toolRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The contract files: the fleet file and every tenant YAML, in name order. */
export function contractFiles(paths: ContractPaths): string[] {
  const tenants = existsSync(paths.tenantsDir)
    ? readdirSync(paths.tenantsDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(paths.tenantsDir, f))
    : [];
  return [...(existsSync(paths.fleetFile) ? [paths.fleetFile] : []), ...tenants];
}

function contractsCommit(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  const cwd = dirname(resolve(files[files.length - 1]));
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (top === undefined) return undefined;
  const inRepo = files.map((f) => relative(top, resolve(f)));
  if (inRepo.some((f) => f.startsWith('..'))) return undefined;
  const tracked = git(top, ['ls-files', '--', ...inRepo])?.split('\n').filter((l) => l !== '') ?? [];
  const changed = git(top, ['status', '--porcelain', '--', ...inRepo]);
  // A commit stands for the contracts only when each is committed exactly as read.
  if (tracked.length !== inRepo.length || changed !== '') return undefined;
  return git(top, ['rev-parse', 'HEAD']);
}

/**
 * What the intended configuration is read from, relative to the output folder (which folder
 * it was is left out, so that every command judging the same contracts writes the same report).
 */
export const SYNTHESIZED_SOURCE = 'stacks/<tenant>/cdk.tf.json, stacks/<tenant>/ansible/, stacks/<tenant>/portal.json';

/** `digest`: a file's SHA-256 (hex) as the load read it (contract/parse-cache.ts read). @default - read here */
export function collectProvenance(paths: ContractPaths, env: NodeJS.ProcessEnv = process.env, digest: (file: string) => string = (file) => sha256(readFileSync(file))): Provenance {
  const root = toolRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const commit = git(root, ['rev-parse', 'HEAD']);
  const files = contractFiles(paths);
  return {
    generatedAt: reportTime(env),
    tool: { name: pkg.name, version: pkg.version },
    code: commit === undefined ? { commit: NOT_IN_GIT, dirty: false } : { commit, dirty: (git(root, ['status', '--porcelain', '--untracked-files=no']) ?? '') !== '' },
    contracts: { commit: contractsCommit(files), files: files.map((file) => ({ file, sha256: digest(file) })) },
    evidence: [{ kind: 'intended_configuration', source: SYNTHESIZED_SOURCE }],
  };
}

/**
 * What one tenant's reports were made from: the fleet's provenance with only the fleet file and
 * the tenant's own contract (`<tenant>.yaml`, contract/semantic.ts RAS020) among the contract
 * files; the fleet page lists them all. A tenant's reports so depend on its own contract, not on
 * every other tenant's: an incremental build keeps them when another contract changed, and a
 * 10,000-tenant fleet does not repeat 10,001 hashes in each of its 50,000 report files.
 */
export function tenantProvenance(p: Provenance, tenant: string): Provenance {
  return provenanceOf(p, [tenant]);
}

/** The same for some tenants (a page of the fleet page): the fleet file, then their contracts in their order. */
export function provenanceOf(p: Provenance, tenants: readonly string[]): Provenance {
  // contractFiles lists the fleet file first; a load that got this far had one.
  const files = p.contracts.files;
  return { ...p, contracts: { ...p.contracts, files: [...files.slice(0, 1), ...tenants.flatMap((t) => ownContractFiles(p, t))] } };
}

type ContractFileEntry = Provenance['contracts']['files'][number];

/** A tenant's own contract files, with their SHA-256: what its reports show beyond `provenanceOf(p, [])`. */
export function ownContractFiles(p: Provenance, tenant: string): readonly ContractFileEntry[] {
  return filesByTenant(p).get(tenant) ?? [];
}

/**
 * Each tenant's own contract files, indexed once per provenance: asked for every tenant of the
 * fleet, a scan of the fleet's files each time was quadratic (58 million name tests at 7,600
 * tenants, most of a minute).
 */
const byTenant = new WeakMap<Provenance, Map<string, ContractFileEntry[]>>();

function filesByTenant(p: Provenance): Map<string, ContractFileEntry[]> {
  let index = byTenant.get(p);
  if (index === undefined) {
    index = new Map();
    for (const [i, f] of p.contracts.files.entries()) {
      if (i === 0 || !/\.ya?ml$/.test(f.file)) continue;
      const tenant = basename(f.file).replace(/\.ya?ml$/, '');
      const list = index.get(tenant) ?? [];
      list.push(f);
      index.set(tenant, list);
    }
    byTenant.set(p, index);
  }
  return index;
}
