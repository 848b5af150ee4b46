/** Which files are tenant contracts. Kept free of the parser and schemas, so counting the fleet costs a readdir. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Tenant files as they would be after a pending change, keyed by path inside `tenantsDir`:
 * text replaces (or adds) the file, null removes it. Lets the contract-event writer check the
 * whole fleet with a candidate in place before anything touches the disk.
 */
export type TenantOverlay = ReadonlyMap<string, string | null>;

/** Tenant files in a folder, in a stable order. */
export function tenantFiles(tenantsDir: string, overlay?: TenantOverlay): string[] {
  const files = new Set(
    readdirSync(tenantsDir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .map((f) => join(tenantsDir, f)),
  );
  for (const [path, text] of overlay ?? []) {
    if (text === null) files.delete(path);
    else files.add(path);
  }
  return [...files].sort();
}

/** How many tenant contracts a folder holds (0 if it does not exist: loading the fleet reports that). */
export function countTenantFiles(tenantsDir: string): number {
  return existsSync(tenantsDir) ? tenantFiles(tenantsDir).length : 0;
}
