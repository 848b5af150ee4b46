/**
 * Parsed contract data kept on disk between runs, keyed by the SHA-256 of the file's exact text.
 * Parsing YAML with positions is most of the cost of loading a fleet (~1.5 ms a file), and a
 * contract event or an engineer's edit changes one file of a thousand: with this cache a fresh
 * process parses only the files whose text changed. Everything after parsing (schema, semantic
 * and fleet-wide checks) still runs on every load, so the cache can never let a bad contract in;
 * `ras build` alone skips a file's own checks when it passed them before under the same code and
 * fleet settings (contract/passed-checks.ts).
 *
 * Location: $RAS_CACHE_DIR, else `.ras-cache/` beside the tenants folder (git-ignored), in a folder
 * `parsed-<tenants folder's digest>/` of 256 shard files, `<xx>.json` by the first byte of the
 * key's digest. One file for the whole fleet (14 MB at 10,000 tenants) was written again whole
 * when one contract changed; now only the shards whose entries changed are. A shard is read when
 * a key of it is first asked for; `ras build`'s `missing` asks for every file, so reads all 256,
 * which costs what the one file did (JSON.parse of the data is most of it, ~0.2 s at 10,000). A
 * key index per shard would not save that: the load needs every entry's data right after. The
 * cache is best effort: an unreadable, foreign or unwritable cache only makes loading slower.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SourceFile } from './source';

// Bump when parsing or the shard layout changes, so old entries are never reused.
const FORMAT = 'ras-parse-cache/2 yaml-2.9.1 core-strict-uniquekeys shards-256';

/** A shard's file name: two hex digits. */
const SHARD_FILE = /^[0-9a-f]{2}\.json$/;

/** A contract file as read once for a load: its text, the SHA-256 of its bytes (hex) and its cache key. */
export interface ContractRead {
  readonly text: string;
  readonly sha256: string;
  readonly key: string;
}

interface ShardFile {
  readonly format: string;
  readonly entries: Record<string, unknown>;
}

/** One shard as read (or found missing); `changed`: its file no longer matches `entries`. */
interface Shard {
  readonly entries: Map<string, unknown>;
  changed: boolean;
}

/** The shard of a key (a digest in base64url): the first byte of the digest, in hex. */
export function shardOf(key: string): string {
  return Buffer.from(key.slice(0, 4), 'base64url').toString('hex', 0, 1);
}

/** The cache folder of a tenants folder: $RAS_CACHE_DIR, else `.ras-cache/` beside it. */
export function cacheFolder(tenantsDir: string): string {
  return process.env.RAS_CACHE_DIR ?? join(dirname(resolve(tenantsDir)), '.ras-cache');
}

/** A tenants folder's part of cache file names: one cache folder may serve several fleets. */
export function cacheName(tenantsDir: string): string {
  return createHash('sha256').update(resolve(tenantsDir)).digest('hex').slice(0, 16);
}

export class ParseCache {
  private readonly dir: string;
  /** The single-file cache of format 1, removed by `save`. */
  private readonly oldFile: string;
  /** Shards read so far, by name: each only when a key of it is first asked for. */
  private readonly shards = new Map<string, Shard>();
  /** Keys this load found or added: what `save` keeps. */
  private readonly used = new Set<string>();
  /** The files read through this cache, each once (see `read`). */
  private readonly reads = new Map<string, ContractRead>();

  constructor(tenantsDir: string) {
    const dir = cacheFolder(tenantsDir);
    const name = `parsed-${cacheName(tenantsDir)}`;
    this.dir = join(dir, name);
    this.oldFile = join(dir, `${name}.json`);
  }

  public static key(text: string): string {
    return createHash('sha256').update(text).digest('base64url');
  }

  public get(key: string): unknown {
    const data = this.shard(key).entries.get(key);
    if (data !== undefined) this.used.add(key);
    return data;
  }

  /** Entries are content-addressed: a key already present keeps its data, and its shard is not rewritten. */
  public set(key: string, data: unknown): void {
    const shard = this.shard(key);
    if (!shard.entries.has(key)) {
      shard.entries.set(key, data);
      shard.changed = true;
    }
    this.used.add(key);
  }

  /**
   * An entry this load has from elsewhere (the loader's in-memory parse of an earlier load): used,
   * so `save` keeps it, and added if the cache lacks it. Without this a second load in one
   * process (the contract-event writer, `ras serve`) saved a cache without those files.
   */
  public use(key: string, data: unknown): void {
    if (this.get(key) === undefined) this.set(key, data);
  }

  /**
   * A file as read the first time this cache was asked for it. One cache serves one load (and
   * `ras build`'s provenance of that load): the parse cache, the loader and the reports' digests
   * each read and hashed every file before, ~0.5 s a time for 10,000 contracts, and now all three
   * see the same text. Throws as readFileSync does.
   */
  public read(file: string): ContractRead {
    let known = this.reads.get(file);
    if (known === undefined) {
      const bytes = readFileSync(file);
      const text = bytes.toString('utf8');
      const sha256 = createHash('sha256').update(bytes).digest();
      // The key is the digest of the text as UTF-8: the bytes' own unless decoding replaced an invalid sequence.
      const key = text.includes('\uFFFD') ? ParseCache.key(text) : sha256.toString('base64url');
      known = { text, sha256: sha256.toString('hex'), key };
      this.reads.set(file, known);
    }
    return known;
  }

  /** Of `files`, those whose current text has no entry (what a load would have to parse). */
  public missing(files: readonly string[]): string[] {
    return files.filter((f) => {
      let key: string;
      try {
        key = this.read(f).key;
      } catch {
        return false; // unreadable: the load reports it
      }
      return !this.shard(key).entries.has(key);
    });
  }

  /** Adds entries parsed elsewhere (another thread, parseForCache); they are saved with the load's. */
  public add(entries: readonly CacheEntry[]): void {
    for (const e of entries) this.set(e.key, e.data);
  }

  /**
   * Writes the shards whose entries changed: entries added, or entries this load did not use (so
   * removed contracts leave the cache). Each shard is replaced whole by rename, so a reader in
   * another process sees the old shard or the new, never half of one.
   */
  public save(): void {
    const usedBy = new Map<string, string[]>();
    for (const key of this.used) {
      const name = shardOf(key);
      const keys = usedBy.get(name);
      if (keys === undefined) usedBy.set(name, [key]);
      else keys.push(key);
    }
    for (const [name, shard] of this.shards) {
      const keep = usedBy.get(name) ?? [];
      // The used keys are some of the shard's entries: as many means all of them.
      if (!shard.changed && keep.length === shard.entries.size) continue;
      const kept: Record<string, unknown> = {};
      for (const key of keep) kept[key] = shard.entries.get(key);
      bestEffort(() => (keep.length === 0 ? rmSync(this.file(name), { force: true }) : writeShard(this.file(name), kept)));
    }
    // A shard no file of this load maps to holds only entries this load did not use.
    bestEffort(() => {
      for (const f of readdirSync(this.dir)) if (SHARD_FILE.test(f) && !this.shards.has(f.slice(0, 2))) rmSync(join(this.dir, f), { force: true });
    });
    bestEffort(() => rmSync(this.oldFile, { force: true }));
  }

  private file(shard: string): string {
    return join(this.dir, `${shard}.json`);
  }

  private shard(key: string): Shard {
    const name = shardOf(key);
    let shard = this.shards.get(name);
    if (shard === undefined) {
      shard = readShard(this.file(name));
      this.shards.set(name, shard);
    }
    return shard;
  }
}

/** A shard's entries; none if it is missing, and none but marked changed (to be replaced) if it is unreadable or foreign. */
function readShard(file: string): Shard {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { entries: new Map(), changed: false };
  }
  try {
    const parsed = JSON.parse(text) as ShardFile;
    if (parsed.format === FORMAT && typeof parsed.entries === 'object' && parsed.entries !== null) return { entries: new Map(Object.entries(parsed.entries)), changed: false };
  } catch {
    // corrupt: replaced below
  }
  return { entries: new Map(), changed: true };
}

function writeShard(file: string, entries: Record<string, unknown>): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ format: FORMAT, entries } satisfies ShardFile));
  renameSync(tmp, file);
}

/** Read-only checkout or full disk: the next load parses again. */
function bestEffort(step: () => void): void {
  try {
    step();
  } catch {
    // only slower next time
  }
}

export interface CacheEntry {
  readonly key: string;
  readonly data: unknown;
}

/**
 * Parses `files` as a load would and returns the entries to cache; a file that cannot be read or
 * parsed is left out, for the load to parse again and report. Runs on any thread (build/ops.ts):
 * the cold parse of a large fleet is shared out before the load.
 */
export function parseForCache(files: readonly string[]): CacheEntry[] {
  const out: CacheEntry[] = [];
  for (const file of files) {
    try {
      const text = readFileSync(file, 'utf8');
      const parsed = SourceFile.parse(file, text);
      if (!Array.isArray(parsed)) out.push({ key: ParseCache.key(text), data: parsed.data });
    } catch {
      // the load reports it
    }
  }
  return out;
}
