/**
 * Parsed contract data kept on disk between runs, keyed by the SHA-256 of the file's exact text.
 * Parsing YAML with positions is most of the cost of loading a fleet (~1.5 ms a file), and a
 * contract event or an engineer's edit changes one file of a thousand: with this cache a fresh
 * process parses only the files whose text changed. Everything after parsing (schema, semantic
 * and fleet-wide checks) still runs on every load, so the cache can never let a bad contract in.
 *
 * Location: $RAS_CACHE_DIR, else `.ras-cache/` beside the tenants folder (git-ignored). The cache
 * is best effort: an unreadable, foreign or unwritable cache only makes loading slower.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SourceFile } from './source';

// Bump when parsing changes (options, yaml version), so old entries are never reused.
const FORMAT = 'ras-parse-cache/1 yaml-2.9.1 core-strict-uniquekeys';

/** A contract file as read once for a load: its text, the SHA-256 of its bytes (hex) and its cache key. */
export interface ContractRead {
  readonly text: string;
  readonly sha256: string;
  readonly key: string;
}

interface CacheFile {
  readonly format: string;
  readonly entries: Record<string, unknown>;
}

export class ParseCache {
  private readonly file: string;
  private readonly entries: Map<string, unknown>;
  private readonly used = new Set<string>();
  /** The files read through this cache, each once (see `read`). */
  private readonly reads = new Map<string, ContractRead>();
  private dirty = false;

  constructor(tenantsDir: string) {
    const dir = process.env.RAS_CACHE_DIR ?? join(dirname(resolve(tenantsDir)), '.ras-cache');
    this.file = join(dir, `parsed-${createHash('sha256').update(resolve(tenantsDir)).digest('hex').slice(0, 16)}.json`);
    this.entries = new Map(Object.entries(readCache(this.file)));
  }

  public static key(text: string): string {
    return createHash('sha256').update(text).digest('base64url');
  }

  public get(key: string): unknown {
    const data = this.entries.get(key);
    if (data !== undefined) this.used.add(key);
    return data;
  }

  public set(key: string, data: unknown): void {
    this.entries.set(key, data);
    this.used.add(key);
    this.dirty = true;
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
      try {
        return !this.entries.has(this.read(f).key);
      } catch {
        return false; // unreadable: the load reports it
      }
    });
  }

  /** Adds entries parsed elsewhere (another thread, parseForCache); they are saved with the load's. */
  public add(entries: readonly CacheEntry[]): void {
    for (const e of entries) this.set(e.key, e.data);
  }

  /** Writes the entries used by this load (so removed contracts leave the cache), if anything changed. */
  public save(): void {
    if (!this.dirty && this.used.size === this.entries.size) return;
    const kept: Record<string, unknown> = {};
    for (const key of this.used) kept[key] = this.entries.get(key);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, entries: kept } satisfies CacheFile));
      renameSync(tmp, this.file);
    } catch {
      // read-only checkout or full disk: the next load parses again
    }
  }
}

function readCache(file: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return parsed.format === FORMAT && typeof parsed.entries === 'object' && parsed.entries !== null ? parsed.entries : {};
  } catch {
    return {};
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
