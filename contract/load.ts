/**
 * The only entry point that reads contract files: fleet settings plus every tenant, parsed
 * with positions, schema-checked, semantically checked per tenant and across the fleet.
 * Either every file is accepted and a FleetModel comes back, or a ContractError lists every
 * problem found; nothing is half-loaded. `ras build` does not check a file again that passed its
 * own checks before under the same code and fleet settings (contract/passed-checks.ts).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { tenantFiles, type TenantOverlay } from './files';
import { checkAcrossTenants, checkFleetSettings, type LoadedTenant } from './fleet-checks';
import { mergeFleetOutputs, missingFleetOutputs } from './fleet-outputs';
import { checkOperationsAccess } from './operations-access';
import { buildTenantModel, type FleetModel } from './model';
import { ContractError, type Problem } from './problems';
import { ParseCache } from './parse-cache';
import type { PassedChecks } from './passed-checks';
import { checkSchema } from './schema-check';
import { checkTenant } from './semantic';
import { SourceFile } from './source';
import type { FleetSettings, TenantContract } from './types';

export interface ContractPaths {
  /** The fleet settings file. */
  readonly fleetFile: string;
  /** Folder holding one `<tenant>.yaml` per tenant. */
  readonly tenantsDir: string;
}

export const DEFAULT_PATHS: ContractPaths = { fleetFile: 'fleet.yaml', tenantsDir: 'tenants' };

export type { TenantOverlay };

/** How `ras build` loads (other commands: the defaults). */
export interface LoadOptions {
  /** The files that passed their own checks before, not checked again (contract/passed-checks.ts). @default - every file checked */
  readonly passed?: PassedChecks;
  /**
   * The process loads the fleet only this once: no file's parse is kept for a later load, so none
   * is shared and none need be frozen (freezing 10,000 contracts cost ~0.1 s). @default false
   */
  readonly once?: boolean;
}

/** A file as parsed, and its parse cache key (none without a cache). */
interface Read {
  readonly source: SourceFile;
  readonly key?: string;
}

/** Reads and checks a file; returns the source and its schema-valid data, or problems. */
function readChecked(kind: 'tenant' | 'fleet', path: string, problems: Problem[], overlay?: TenantOverlay, disk?: ParseCache, once = false): SourceFile | undefined {
  const read = readParsed(path, problems, overlay, disk, once);
  if (read === undefined) return undefined;
  const schemaProblems = checkSchema(kind, read.source);
  problems.push(...schemaProblems);
  return schemaProblems.length === 0 ? read.source : undefined;
}

/** Reads and parses a file; returns the source (not yet checked against its schema), or problems. */
function readParsed(path: string, problems: Problem[], overlay?: TenantOverlay, disk?: ParseCache, once = false): Read | undefined {
  const shown = displayPath(path);
  let text: string;
  let key: string | undefined;
  try {
    const pending = overlay?.get(path);
    if (pending !== undefined && pending !== null) text = pending;
    else if (disk !== undefined) ({ text, key } = disk.read(path));
    else text = readFileSync(path, 'utf8');
  } catch (e) {
    problems.push({ code: 'RAS001', file: shown, line: 1, column: 1, field: '', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return undefined;
  }
  if (disk !== undefined) key ??= ParseCache.key(text);
  const parsed = parseCached(shown, text, disk, key, once);
  if (Array.isArray(parsed)) {
    problems.push(...parsed);
    return undefined;
  }
  return { source: parsed, key };
}

/**
 * Parsing with positions is most of a fleet load (~0.8 ms a file). A long-running process
 * (`ras serve`) and the contract-event writer (which loads the fleet, then again with one file
 * changed) reload mostly unchanged files, so the last parse of each file is kept and reused when
 * the text is identical. Keyed by the exact text: a changed file is always parsed again. A
 * process that loads `once` keeps nothing.
 */
const lastParse = new Map<string, { readonly text: string; readonly result: SourceFile | Problem[] }>();

function parseCached(file: string, text: string, disk?: ParseCache, known?: string, once = false): SourceFile | Problem[] {
  const key = disk === undefined ? '' : (known ?? ParseCache.key(text));
  const hit = lastParse.get(file);
  if (hit !== undefined && hit.text === text) {
    // An earlier load's parse, perhaps through another cache: this load's cache must keep it too.
    if (disk !== undefined && !Array.isArray(hit.result)) disk.use(key, hit.result.data);
    return hit.result;
  }
  const stored = disk?.get(key);
  const result = stored !== undefined ? SourceFile.fromParsed(file, text, stored) : SourceFile.parse(file, text);
  if (disk !== undefined && stored === undefined && !Array.isArray(result)) disk.set(key, result.data);
  if (once) return result;
  // Shared between loads from now on: frozen, so no consumer can change another load's contract.
  if (!Array.isArray(result)) deepFreeze(result.data);
  // Kept without the YAML node tree (positions are parsed again only to locate a problem): kept
  // with it, a 10,000-file fleet held ~35 KB per file for the life of the process.
  lastParse.set(file, { text, result: Array.isArray(result) ? result : SourceFile.fromParsed(file, text, result.data) });
  return result;
}

/** Arrays by index and objects by key, no array of values made per object: 10,000 contracts froze in ~0.2 s before. */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}

export { tenantFiles };

/** `cache`: the parse cache to use, e.g. one already filled by other threads. @default - the tenants folder's */
export function loadFleet(paths: ContractPaths = DEFAULT_PATHS, overlay?: TenantOverlay, cache?: ParseCache, options: LoadOptions = {}): FleetModel {
  const { passed, once } = options;
  const problems: Problem[] = [];
  const disk = cache ?? new ParseCache(paths.tenantsDir);
  const fleetSource = readChecked('fleet', paths.fleetFile, problems, undefined, disk, once);
  let fleet = fleetSource?.data as FleetSettings | undefined;
  if (fleetSource !== undefined && fleet !== undefined) {
    problems.push(...checkFleetSettings(fleet, fleetSource), ...checkOperationsAccess(fleet.operationsAccess, fleetSource));
    fleet = mergeFleetOutputs(fleet, paths.fleetFile, problems);
    passed?.under(fleet);
  }

  const accepted: LoadedTenant[] = [];
  for (const file of tenantFiles(paths.tenantsDir, overlay)) {
    const read = readParsed(file, problems, overlay, disk, once);
    if (read === undefined) continue;
    const { source, key } = read;
    const contract = source.data as TenantContract;
    if (passed === undefined || key === undefined || !passed.has(source.file, key)) {
      const schemaProblems = checkSchema('tenant', source);
      if (schemaProblems.length > 0) {
        problems.push(...schemaProblems);
        continue;
      }
      const own = [...checkTenant(contract, source, fleet), ...checkFleetOutputsRecorded(contract, source, fleet)];
      problems.push(...own);
      if (own.length === 0 && key !== undefined) passed?.add(source.file, key);
    }
    // Fleet-wide checks still see tenants with local problems: a clash is worth reporting too.
    accepted.push({ contract, source });
  }
  problems.push(...checkAcrossTenants(accepted));
  disk.save();
  passed?.save();
  if (problems.length > 0 || fleet === undefined || fleetSource === undefined) throw new ContractError(problems);

  return {
    settings: fleet,
    sourceFile: fleetSource.file,
    tenants: accepted.map((t) => buildTenantModel(t.contract, t.source.file, fleet)),
  };
}

/** A tenant's region must have its fleet stack applied and recorded (transit gateway, topic, ...). */
function checkFleetOutputsRecorded(contract: TenantContract, source: SourceFile, fleet: FleetSettings | undefined): Problem[] {
  const region = fleet?.regions[contract.region];
  if (region === undefined) return [];
  const missing = missingFleetOutputs(region);
  if (missing.length === 0) return [];
  return [
    source.problem(
      'RAS103',
      ['region'],
      `${contract.region} has no ${missing.join(', ')}: apply its fleet stack and record its outputs in fleet-outputs/${contract.region}.json (README, Deploy)`,
    ),
  ];
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
