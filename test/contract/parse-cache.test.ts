/** The on-disk parse cache (contract/parse-cache.ts), with real files in a temporary folder. */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tenantFiles } from '../../contract/files';
import { loadFleet } from '../../contract/load';
import { ParseCache, parseForCache, shardOf } from '../../contract/parse-cache';
import { Workspace, workspaceWithCache } from '../helpers/workspace';

const workspace = workspaceWithCache();
let ws: Workspace;
let cacheDir: string;
beforeEach(() => ({ ws, cacheDir } = workspace.current()));

const contracts = () => [ws.paths.fleetFile, ...tenantFiles(ws.paths.tenantsDir)];
const newCache = () => new ParseCache(ws.paths.tenantsDir);

/** The cache's shard folder (the only `parsed-*` folder in the cache folder). */
function shardDir(): string {
  const [name] = readdirSync(cacheDir).filter((f) => f.startsWith('parsed-') && !f.endsWith('.json'));
  return join(cacheDir, name);
}

/** Each shard file's inode, by name. */
function inodes(): Map<string, number> {
  const dir = shardDir();
  return new Map(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).ino]));
}

/** Every key stored in any shard. */
function storedKeys(): string[] {
  const dir = shardDir();
  return readdirSync(dir).flatMap((f) => Object.keys((JSON.parse(readFileSync(join(dir, f), 'utf8')) as { entries: object }).entries));
}

test('round trip: entries saved by one cache are found by the next, each in its shard', () => {
  const files = contracts();
  const first = newCache();
  expect(first.missing(files)).toEqual(files);
  first.add(parseForCache(files));
  first.save();

  const second = newCache();
  expect(second.missing(files)).toEqual([]);
  const tenant = files[1];
  const { key } = second.read(tenant);
  expect(second.get(key)).toMatchObject({ tenant: 'kitakaze-logistics' });
  expect(readdirSync(shardDir()).sort()).toEqual([...new Set(files.map((f) => `${shardOf(second.read(f).key)}.json`))].sort());
  const shard = JSON.parse(readFileSync(join(shardDir(), `${shardOf(key)}.json`), 'utf8')) as { format: string };
  expect(shard.format).toMatch(/^ras-parse-cache\/2 /);
});

test('a second load in one process keeps the entries it used from memory', () => {
  loadFleet(ws.paths);
  // Every file is now the loader's in-memory parse; a new cache must still count them as used.
  loadFleet(ws.paths);
  expect(newCache().missing(contracts())).toEqual([]);
});

test('a changed contract rewrites only the shards of its old and new entries', () => {
  loadFleet(ws.paths);
  const before = inodes();
  const oldKey = ParseCache.key(ws.read('tenants/sakura-trading.yaml'));
  ws.edit('sakura-trading', ['gateway', 'sizing', 'terminals'], 123);
  const newKey = ParseCache.key(ws.read('tenants/sakura-trading.yaml'));
  loadFleet(ws.paths);
  const after = inodes();

  const touched = new Set([`${shardOf(oldKey)}.json`, `${shardOf(newKey)}.json`]);
  for (const [name, ino] of before) if (!touched.has(name)) expect([name, after.get(name)]).toEqual([name, ino]);
  expect(after.get(`${shardOf(newKey)}.json`)).toBeDefined();
  expect(storedKeys()).toContain(newKey);
  expect(storedKeys()).not.toContain(oldKey);
  expect(newCache().missing(contracts())).toEqual([]);
});

test('an unchanged fleet writes nothing', () => {
  loadFleet(ws.paths);
  const before = inodes();
  const mtimes = () => readdirSync(shardDir()).map((f) => statSync(join(shardDir(), f)).mtimeMs);
  const times = mtimes();
  const cache = newCache();
  loadFleet(ws.paths, undefined, cache);
  expect(inodes()).toEqual(before);
  expect(mtimes()).toEqual(times);
});

test('removed contracts leave the cache', () => {
  loadFleet(ws.paths);
  const removed = ParseCache.key(ws.read('tenants/minato-design.yaml'));
  expect(storedKeys()).toContain(removed);
  rmSync(ws.tenantFile('minato-design'));
  loadFleet(ws.paths);
  expect(storedKeys()).not.toContain(removed);
  expect(storedKeys()).toHaveLength(contracts().length);
});

test('a corrupt or foreign shard is ignored, and replaced by the next save', () => {
  loadFleet(ws.paths);
  const files = contracts();
  const keys = files.map((f) => ParseCache.key(readFileSync(f, 'utf8')));
  const [corrupt, foreign] = keys.map((k) => join(shardDir(), `${shardOf(k)}.json`));
  writeFileSync(corrupt, 'not json');
  // Format 1's layout with a real key: its data must never be used.
  writeFileSync(foreign, JSON.stringify({ format: 'ras-parse-cache/1 yaml-2.9.1 core-strict-uniquekeys', entries: { [keys[1]]: { tenant: 'someone-else' } } }));

  const cache = newCache();
  expect(cache.get(keys[1])).toBeUndefined();
  expect(cache.missing(files)).toEqual(files.slice(0, 2));
  expect(loadFleet(ws.paths, undefined, cache).tenants).toHaveLength(4);
  expect(newCache().missing(files)).toEqual([]);
});

test('the single-file cache of format 1 is removed', () => {
  loadFleet(ws.paths);
  const old = `${shardDir()}.json`;
  writeFileSync(old, '{"format":"ras-parse-cache/1 yaml-2.9.1 core-strict-uniquekeys","entries":{}}');
  loadFleet(ws.paths);
  expect(existsSync(old)).toBe(false);
});

test('an unwritable cache folder only costs time', () => {
  // A folder below a file cannot be made, even by root (chmod would not stop root).
  process.env.RAS_CACHE_DIR = join(ws.paths.fleetFile, 'cache');
  expect(loadFleet(ws.paths).tenants).toHaveLength(4);
  const cache = newCache();
  cache.add(parseForCache(contracts()));
  expect(() => cache.save()).not.toThrow();
});

test('a load `once` keeps no parse for a later load, so shares and freezes nothing; a default load does both', () => {
  const first = loadFleet(ws.paths, undefined, newCache(), { once: true });
  const second = loadFleet(ws.paths, undefined, newCache(), { once: true });
  expect(second.tenants[0].contract).not.toBe(first.tenants[0].contract);
  expect(Object.isFrozen(second.tenants[0].contract)).toBe(false);
  const kept = loadFleet(ws.paths, undefined, newCache());
  const again = loadFleet(ws.paths, undefined, newCache());
  expect(again.tenants[0].contract).toBe(kept.tenants[0].contract);
  expect(Object.isFrozen(again.tenants[0].contract.network)).toBe(true);
});
