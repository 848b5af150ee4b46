/**
 * Reads a synthesized output folder (cdktf.out): every stacks/<tenant>/cdk.tf.json and, where the
 * gateway configuration was rendered, stacks/<tenant>/ansible/{group,host}_vars, and portal.json. These are generated
 * files, not contracts: contract/ stays the only reader of what people write.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PORTAL_FILE } from '../policies/inputs/portal';
import { readGatewayLayers } from '../policies/inputs/read';
import { ReviewInputError } from './errors';
import type { StackConfig, TenantOutput } from './types';

export interface ReadOutputOptions {
  /**
   * Ansible roles whose `<role>/defaults/main.yml` are the lowest layer of the gateway variables
   * (the crypto profiles' proposals live there): the side's own code.
   * @default - rendered variables only
   */
  readonly rolesDir?: string;
}

export function readOutput(outdir: string, options: ReadOutputOptions = {}): Map<string, TenantOutput> {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir) || !statSync(stacksDir).isDirectory()) {
    throw new ReviewInputError(`${outdir} holds no synthesized stacks (expected ${stacksDir}/<tenant>/cdk.tf.json)`);
  }
  const tenants = new Map<string, TenantOutput>();
  for (const id of readdirSync(stacksDir).sort()) {
    const dir = join(stacksDir, id);
    const file = join(dir, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    const portalFile = join(dir, PORTAL_FILE);
    const portal = existsSync(portalFile) ? (readJson(portalFile) as Record<string, unknown>) : undefined;
    tenants.set(id, { id, dir, config: readJson(file) as StackConfig, gatewayVars: readGatewayVars(dir, options.rolesDir), portal });
  }
  // Zero tenants would compare as "No changes" against anything empty: never a review worth passing.
  if (tenants.size === 0) throw new ReviewInputError(`${outdir}: no tenant stack (expected ${stacksDir}/<tenant>/cdk.tf.json; run \`ras synth\` there first)`);
  return tenants;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReviewInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * The gateway's variables as Ansible merges them (role defaults, group_vars, host_vars), read by
 * the rules' own reader; undefined where nothing was rendered. A file Ansible would read otherwise
 * cannot be reviewed.
 */
function readGatewayVars(stackDir: string, rolesDir?: string): Record<string, unknown> | undefined {
  const layers = readGatewayLayers(stackDir, rolesDir);
  if (layers === undefined) return undefined;
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer.unreadable !== undefined) throw new ReviewInputError(`${stackDir}: ${layer.file} cannot be reviewed: ${layer.unreadable}`);
    Object.assign(merged, layer.vars);
  }
  return merged;
}
