/**
 * Incremental `ras build`: a tenant whose inputs did not change keeps the stack and reports the
 * previous build wrote, and its verdict from then; only the others are synthesized and judged.
 *
 * A tenant's key covers everything its output depends on: its contract (its text's SHA-256 and its
 * file), the fleet settings, the code that builds and judges (every compiled file of this program, and the
 * dependency versions of package-lock.json), the Ansible role defaults the rules read, its own
 * suppressions and the reports' time stamp. What the fleet-wide rules asked about other tenants is
 * asked again (build/fleet-queries.ts). So a construct change rebuilds every tenant, and the
 * result is byte-identical to a clean build (test/build-incremental.test.ts).
 *
 * The record of the last build lives in the parse cache's folder, never in the output (which must
 * equal a clean build's). It is dropped before the output is touched and written after, and it
 * holds the identity of the output folders it describes: output replaced by any other command
 * (`ras synth`, `ras report`, a copy) is not reused. Files edited by hand inside the output are not
 * noticed (as `make` does not notice them): delete the output folder to rebuild everything.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { dirname, extname, join, resolve } from 'node:path';
import { CONTROLS } from '../policies/catalog';
import type { ControlStatus, TenantVerdict } from '../policies/evaluate';
import type { FleetIndex } from '../policies/types';
import type { Suppression } from '../policies/suppressions';
import type { ScrapeTargetResult } from '../output/scrape-target';
import type { Provenance } from '../report/provenance';
import { writeAll } from '../lib/fd';
import { cacheFolder } from '../contract/parse-cache';
import { sameAnswers, type FleetQuery } from './fleet-queries';

const STATE_FORMAT = 'ras-build-state/4';

/** What the last build recorded of one tenant. */
export interface TenantRecord {
  readonly key: string;
  readonly queries: readonly FleetQuery[];
  readonly verdict: TenantVerdict;
  /** Its own suppressions that covered a finding. */
  readonly used: readonly Suppression[];
  /** Its gateway's scrape target: monitoring/ lists every tenant's, reused or rebuilt. */
  readonly target: ScrapeTargetResult;
}

/**
 * The state is two files: the tenants' records, one JSON line each, written as the build goes
 * (never the whole fleet's records in memory at once), and a small head naming the format and
 * the output folders as the build left them, written last.
 */
interface Head {
  readonly format: string;
  /** The output folders as this build left them. */
  readonly folders: string;
}

/** One line of the records file: a record, its verdict's control statuses as one string (recordLine). */
interface Line extends Omit<TenantRecord, 'verdict'> {
  readonly tenant: string;
  readonly verdict: Omit<TenantVerdict, 'controls'> & { readonly controls: string | TenantVerdict['controls'] };
}

/**
 * A verdict's control statuses, one letter each in the catalog's order (as every verdict lists
 * them): 42 objects a tenant were half of a 10,000-tenant state's 38 MB, read and written again on
 * every build. A verdict in another order is written as it is.
 */
const LETTER: Readonly<Record<ControlStatus, string>> = { compliant: 'c', compliant_by_exception: 'e', non_compliant: 'n', not_applicable: 'a', procedural: 'p' };
// One frozen `{ id }` per control, shared by every decoded verdict.
const CONTROL_REFS = CONTROLS.map((c) => Object.freeze({ id: c.id }));
// And one frozen status entry per control and status: 42 new objects a tenant were 420,000 a
// 10,000-tenant build, for 210 distinct values.
const ENTRIES = CONTROL_REFS.map((control) => new Map(Object.entries(LETTER).map(([status, letter]) => [letter, Object.freeze({ control, status: status as ControlStatus })])));

function recordLine(tenant: string, record: TenantRecord): string {
  const controls = record.verdict.controls;
  const inOrder = controls.length === CONTROL_REFS.length && controls.every((c, k) => c.control.id === CONTROL_REFS[k].id);
  const verdict = inOrder ? { ...record.verdict, controls: controls.map((c) => LETTER[c.status]).join('') } : record.verdict;
  return JSON.stringify({ tenant, ...record, verdict } satisfies Line);
}

/** The record of a line; undefined when its statuses cannot be read (the tenant is then rebuilt). */
function fromLine({ tenant, ...line }: Line): { readonly tenant: string; readonly record: TenantRecord } | undefined {
  const coded = line.verdict.controls;
  if (typeof coded !== 'string') return { tenant, record: { ...line, verdict: { ...line.verdict, controls: coded } } };
  if (coded.length !== CONTROL_REFS.length) return undefined;
  const controls: TenantVerdict['controls'][number][] = [];
  for (let k = 0; k < coded.length; k++) {
    const entry = ENTRIES[k].get(coded[k]);
    if (entry === undefined) return undefined;
    controls.push(entry);
  }
  return { tenant, record: { ...line, verdict: { ...line.verdict, controls } } };
}

/** Where the record of builds into `outdir` and `reportsDir` is kept (the head; the records beside it). */
export function stateFile(tenantsDir: string, outdir: string, reportsDir: string): string {
  const dir = cacheFolder(tenantsDir);
  const id = createHash('sha256').update(`${resolve(outdir)}\0${resolve(reportsDir)}`).digest('hex').slice(0, 16);
  return join(dir, `build-${id}.json`);
}

const recordsOf = (file: string) => `${file.replace(/\.json$/, '')}.records.ndjson`;

/**
 * The identity of the output folders: a folder swapped in whole by another command is a new
 * directory (inode), and one whose stacks or tenants were replaced one by one has a new mtime.
 */
function foldersIdentity(outdir: string, reportsDir: string): string | undefined {
  try {
    const id = (p: string) => {
      const s = statSync(p, { bigint: true });
      return `${s.dev}:${s.ino}:${s.mtimeNs}`;
    };
    return [outdir, join(outdir, 'stacks'), reportsDir].map(id).join(' ');
  } catch {
    return undefined;
  }
}

/**
 * The previous build's records, one at a time, if they still describe the output folders (else
 * none): `visit` gets each tenant's record and the line it was read from.
 */
export function readState(file: string, outdir: string, reportsDir: string, visit: (tenant: string, record: TenantRecord, line: string) => void): void {
  let head: Head;
  try {
    head = JSON.parse(readFileSync(file, 'utf8')) as Head;
  } catch {
    return;
  }
  const now = foldersIdentity(outdir, reportsDir);
  if (head.format !== STATE_FORMAT || now === undefined || head.folders !== now) return;
  try {
    eachLine(recordsOf(file), (text) => {
      const read = fromLine(JSON.parse(text) as Line);
      if (read !== undefined) visit(read.tenant, read.record, text);
    });
  } catch {
    // a damaged record: what was read stands for itself (each line is a whole record), the rest is rebuilt
  }
}

/** Calls `f` with each line of `file`, reading it in slices (a 10,000-tenant state is ~40 MB). */
function eachLine(file: string, f: (line: string) => void): void {
  const fd = openSync(file, 'r');
  try {
    const slice = Buffer.alloc(1 << 20);
    let rest = '';
    const decoder = new StringDecoder('utf8');
    for (let n = readSync(fd, slice); n > 0; n = readSync(fd, slice)) {
      const lines = (rest + decoder.write(slice.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line !== '') f(line);
    }
    rest += decoder.end();
    if (rest !== '') f(rest);
  } finally {
    closeSync(fd);
  }
}

/** Dropped before the output is touched, so an interrupted build leaves no record of output it changed. */
export function dropState(file: string): void {
  rmSync(file, { force: true });
  rmSync(recordsOf(file), { force: true });
}

/**
 * The next state's records, written as the build goes: kept tenants' lines as they were read,
 * rebuilt tenants' as their chunks are collected. `commit` makes it the state (after the output is
 * in place); `discard` leaves no trace. Best effort, as the parse cache: if the cache folder cannot
 * be written the next build is a full one.
 */
export class StateWriter {
  private fd: number | undefined;
  private readonly pending: string;
  /** Lines not yet written: one write a megabyte, not one a tenant (10,000 writes cost ~0.25 s). */
  private buffered: string[] = [];
  private bufferedLength = 0;

  constructor(private readonly file: string) {
    this.pending = `${recordsOf(file)}.tmp-${process.pid}`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      this.fd = openSync(this.pending, 'w');
    } catch {
      this.fd = undefined;
    }
  }

  /** A kept tenant's line, as read from the previous state. */
  keep(line: string): void {
    this.write(line);
  }

  add(tenant: string, record: TenantRecord): void {
    if (this.fd !== undefined) this.write(recordLine(tenant, record));
  }

  private write(line: string): void {
    if (this.fd === undefined) return;
    this.buffered.push(line, '\n');
    this.bufferedLength += line.length + 1;
    if (this.bufferedLength >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.bufferedLength = 0;
    try {
      writeAll(this.fd, Buffer.from(text, 'utf8'));
    } catch {
      this.discard();
    }
  }

  commit(outdir: string, reportsDir: string): void {
    this.flush();
    const folders = foldersIdentity(outdir, reportsDir);
    if (this.fd === undefined || folders === undefined) return this.discard();
    try {
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.pending, recordsOf(this.file));
      const head: Head = { format: STATE_FORMAT, folders };
      writeFileSync(`${this.file}.tmp-${process.pid}`, JSON.stringify(head));
      renameSync(`${this.file}.tmp-${process.pid}`, this.file);
    } catch {
      dropState(this.file);
    }
  }

  discard(): void {
    this.buffered = [];
    this.bufferedLength = 0;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    rmSync(this.pending, { force: true });
  }
}

/** This program's compiled code and its dependencies' versions: any change rebuilds every tenant. */
export function codeDigest(): string {
  const h = createHash('sha256');
  // The compiled program (dist/), or the TypeScript sources when run by ts-jest.
  const root = join(__dirname, '..');
  const ext = extname(__filename);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules' || (ext === '.ts' && (name === 'dist' || name === 'test'))) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(ext) || (name.endsWith('.json') && dir !== root)) h.update(path.slice(root.length)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(root);
  for (const lock of [join(root, 'package-lock.json'), join(root, '..', 'package-lock.json')]) if (existsSync(lock)) h.update(readFileSync(lock));
  for (const pkg of ['cdktf', '@cdktf/provider-aws', 'constructs', 'yaml', 'ajv']) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    h.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}\0`);
  }
  return h.digest('base64url');
}

/** Every file of a folder (the role defaults the rules read), by path and content. */
export function treeDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else h.update(path.slice(dir.length)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return h.digest('base64url');
}

/**
 * The key of everything a tenant's output depends on except the other tenants (see above).
 * What its reports show of the provenance (report/provenance.ts tenantProvenance: the fleet file's
 * and its own contract's SHA-256, never the other tenants') is the part every tenant shares, in
 * `fleetKey` (`provenanceOf(provenance, [])`), and `ownFiles`: so a changed contract elsewhere
 * leaves the key as it was.
 *
 * The tenant's model is not hashed: it is a pure function (contract/model.ts buildTenantModel) of
 * its contract's text, whose SHA-256 the provenance holds, its file as shown (`sourceFile`) and
 * the fleet settings, which `fleetKey` holds with the code that builds it. Hashing the model as
 * JSON cost 0.2-0.3 s a build at 10,000 tenants and proved nothing more.
 */
export function tenantKey(fleetKey: string, sourceFile: string, ownSuppressions: readonly Suppression[], ownFiles: Provenance['contracts']['files']): string {
  return createHash('sha256')
    .update(fleetKey)
    .update('\0')
    .update(sourceFile)
    .update('\0')
    .update(JSON.stringify(ownSuppressions))
    .update('\0')
    .update(JSON.stringify(ownFiles))
    .digest('base64url');
}

/** Whether the previous record of a tenant can stand for building it again. */
export function reusable(record: TenantRecord | undefined, key: string, index: FleetIndex): record is TenantRecord {
  return record !== undefined && record.key === key && sameAnswers(index, record.queries);
}
