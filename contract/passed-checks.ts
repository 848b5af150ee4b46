/**
 * The tenant contracts that passed their own checks in an earlier `ras build`, so a build checks
 * again only what changed.
 *
 * A file's own checks (schema, the semantic checks, its region's fleet outputs recorded: all but
 * the fleet-wide ones) are a pure function of its text, its name, the fleet settings (with the
 * recorded fleet outputs) and the code. An entry is the SHA-256 of all four, so a change in any of
 * them checks the file again. Only passes are kept: a file with a problem stops the load, and is
 * checked on every load until it is fixed. The fleet-wide checks (VLAN ids, addresses, service
 * codes) run on every load, over every tenant.
 *
 * Measured at 10,000 tenants: the own checks of every file were ~0.25 s of a one-changed-contract
 * build. Only `ras build` uses this: it knows the code's digest (build/incremental.ts codeDigest),
 * which other commands do not compute. The file lives beside the parse cache, and is trusted as
 * that is: whoever can write the cache folder can already change what a contract parses to.
 * Best effort, as the parse cache: unreadable, foreign or unwritable means every file is checked.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheFolder, cacheName } from './parse-cache';
import type { FleetSettings } from './types';

// Bump when the entries' meaning changes, so old ones are never trusted.
const FORMAT = 'ras-passed-checks/1';

interface PassedFile {
  readonly format: string;
  readonly entries: readonly string[];
}

export class PassedChecks {
  private readonly file: string;
  /** Entries of the last build. */
  private readonly before: ReadonlySet<string>;
  /** Entries this load confirmed or added: what `save` keeps. */
  private readonly now = new Set<string>();
  /** The digest of the code and the fleet settings, once `under` has been told them. */
  private scope: string | undefined;

  /** `code`: the digest of the program that checks (its checks are part of what an entry proves). */
  constructor(
    tenantsDir: string,
    private readonly code: string,
  ) {
    this.file = join(cacheFolder(tenantsDir), `passed-${cacheName(tenantsDir)}.json`);
    this.before = readEntries(this.file);
  }

  /** The fleet settings the load checks under (merged with the recorded fleet outputs). */
  public under(fleet: FleetSettings): void {
    this.scope = createHash('sha256').update(this.code).update('\0').update(JSON.stringify(fleet)).digest('base64url');
  }

  /** Whether `file` (as shown in problems) with this text (its parse cache key) passed its own checks under the same settings and code. */
  public has(file: string, textKey: string): boolean {
    const entry = this.entry(file, textKey);
    if (entry === undefined || !this.before.has(entry)) return false;
    this.now.add(entry);
    return true;
  }

  /** `file` with this text passed its own checks. */
  public add(file: string, textKey: string): void {
    const entry = this.entry(file, textKey);
    if (entry !== undefined) this.now.add(entry);
  }

  /** Keeps this load's entries (others were of files gone, changed, or checked under other settings), if they differ from the last. */
  public save(): void {
    if (this.now.size === this.before.size && [...this.now].every((e) => this.before.has(e))) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, entries: [...this.now] } satisfies PassedFile));
      renameSync(tmp, this.file);
    } catch {
      // only slower next time
    }
  }

  private entry(file: string, textKey: string): string | undefined {
    if (this.scope === undefined) return undefined;
    return createHash('sha256').update(this.scope).update('\0').update(file).update('\0').update(textKey).digest('base64url');
  }
}

function readEntries(file: string): ReadonlySet<string> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as PassedFile;
    if (parsed.format === FORMAT && Array.isArray(parsed.entries)) return new Set(parsed.entries.filter((e) => typeof e === 'string'));
  } catch {
    // missing or damaged: every file is checked
  }
  return new Set();
}
