/**
 * The portal settings rendered next to each stack (portal.json, see stacks/portal-settings.ts),
 * checked for shape here so rules can rely on their types. A missing or malformed file is kept
 * as a reason, and the portal rules report it (fail closed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PORTAL_FILE = 'portal.json';

/** portal.json of a stack folder as read: absent, not JSON (with why), or its parsed value. */
export type PortalFile = { readonly absent: true } | { readonly invalid: string } | { readonly value: unknown };

/** The one reading of portal.json. */
export function readPortalFile(stackDir: string): PortalFile {
  const file = join(stackDir, PORTAL_FILE);
  if (!existsSync(file)) return { absent: true };
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (e) {
    return { invalid: (e as Error).message };
  }
}

/** The checked settings of a portal.json as read (a missing or malformed file is kept as the reason). */
export function portalOf(file: PortalFile): PortalInput {
  if ('absent' in file) return { missing: `${PORTAL_FILE} not rendered` };
  if ('invalid' in file) return { missing: `${PORTAL_FILE} is not valid JSON (${file.invalid})` };
  return portalInput(file.value);
}

export interface PortalOperator {
  readonly id: string;
  readonly role: string;
  readonly emailRegistered: boolean;
}

export interface PortalSettingsView {
  readonly twoFactorRequired: boolean;
  readonly allowedSourceCidrs: readonly string[];
  readonly lockoutThreshold: number;
  readonly operators: readonly PortalOperator[];
}

export type PortalInput = { readonly settings: PortalSettingsView } | { readonly missing: string };

export function portalInput(data: unknown): PortalInput {
  if (data === null || typeof data !== 'object') return { missing: `${PORTAL_FILE} is not a JSON object` };
  const d = data as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d.twoFactorRequired !== 'boolean') problems.push('twoFactorRequired is not a boolean');
  if (!Array.isArray(d.allowedSourceCidrs) || !d.allowedSourceCidrs.every((c) => typeof c === 'string')) problems.push('allowedSourceCidrs is not a list of strings');
  if (typeof d.lockoutThreshold !== 'number') problems.push('lockoutThreshold is not a number');
  const operatorsOk =
    Array.isArray(d.operators) &&
    d.operators.every((o: unknown) => {
      const op = o as Record<string, unknown> | null;
      return op !== null && typeof op === 'object' && typeof op.id === 'string' && typeof op.role === 'string' && typeof op.emailRegistered === 'boolean';
    });
  if (!operatorsOk) problems.push('operators is not a list of {id, role, emailRegistered}');
  if (problems.length > 0) return { missing: `${PORTAL_FILE}: ${problems.join('; ')}` };
  return { settings: d as unknown as PortalSettingsView };
}
