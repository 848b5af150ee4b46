/** A temporary copy of the example fleet and tenants that a test can edit without touching the repo. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadFleet, type ContractPaths } from '../../contract/load';
import { ContractError, type Problem } from '../../contract/problems';

export const REPO = join(__dirname, '..', '..');

export class Workspace {
  public readonly dir: string;
  public readonly paths: ContractPaths;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'ras-test-'));
    cpSync(join(REPO, 'fleet.yaml'), join(this.dir, 'fleet.yaml'));
    cpSync(join(REPO, 'tenants'), join(this.dir, 'tenants'), { recursive: true });
    this.paths = { fleetFile: join(this.dir, 'fleet.yaml'), tenantsDir: join(this.dir, 'tenants') };
  }

  public tenantFile(id: string): string {
    return join(this.dir, 'tenants', `${id}.yaml`);
  }

  /** Sets (or, with `undefined`, deletes) one field of a tenant contract, keeping the rest of the file as written. */
  public edit(id: string, path: (string | number)[], value: unknown): void {
    const file = this.tenantFile(id);
    const doc = parseDocument(readFileSync(file, 'utf8'));
    if (value === undefined) doc.deleteIn(path);
    else doc.setIn(path, value);
    writeFileSync(file, doc.toString());
  }

  public write(relativePath: string, text: string): void {
    writeFileSync(join(this.dir, relativePath), text);
  }

  public read(relativePath: string): string {
    return readFileSync(join(this.dir, relativePath), 'utf8');
  }

  /** Every problem the loader finds in the workspace's contracts (none: an empty list). */
  public problems(): readonly Problem[] {
    try {
      loadFleet(this.paths);
    } catch (e) {
      if (e instanceof ContractError) return e.problems;
      throw e;
    }
    return [];
  }

  public remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A fresh workspace for each test, with its own cache folder (`RAS_CACHE_DIR`, put back after):
 * for the tests of what the cache folder keeps. Read `current()` inside a test.
 */
export function workspaceWithCache(): { current: () => { ws: Workspace; cacheDir: string } } {
  let now: { ws: Workspace; cacheDir: string } | undefined;
  const saved = process.env.RAS_CACHE_DIR;
  beforeEach(() => {
    const ws = new Workspace();
    now = { ws, cacheDir: join(ws.dir, 'cache') };
    process.env.RAS_CACHE_DIR = now.cacheDir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.RAS_CACHE_DIR;
    else process.env.RAS_CACHE_DIR = saved;
    now?.ws.remove();
  });
  return { current: () => now! };
}
