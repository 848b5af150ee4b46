/**
 * Reads a synthesized output folder (cdktf.out): every stacks/<tenant>/cdk.tf.json and, where the
 * gateway configuration was rendered, stacks/<tenant>/ansible/{group,host}_vars, and portal.json. These are generated
 * files, not contracts: contract/ stays the only reader of what people write.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PORTAL_FILE } from '../policies/inputs/portal';
import { ReviewInputError } from './errors';
import type { StackConfig, TenantOutput } from './types';

/** The renderer tags every string `!unsafe` for Ansible; for reading, that is just a string. */
const UNSAFE_TAG = { tag: '!unsafe', resolve: (value: string) => value };

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
 * The gateway's variables as Ansible merges them: role defaults, group_vars (`all` first), then
 * host_vars (one gateway host per tenant today). Undefined where nothing was rendered.
 */
function readGatewayVars(stackDir: string, rolesDir?: string): Record<string, unknown> | undefined {
  const dir = join(stackDir, 'ansible');
  const rendered = [...varsFiles(join(dir, 'group_vars'), 'all'), ...varsFiles(join(dir, 'host_vars'))];
  if (rendered.length === 0) return undefined;
  const defaults =
    rolesDir !== undefined && existsSync(rolesDir)
      ? readdirSync(rolesDir)
          .sort()
          .map((role) => join(rolesDir, role, 'defaults', 'main.yml'))
          .filter((f) => existsSync(f))
      : [];
  const files = [...defaults, ...rendered];
  const merged: Record<string, unknown> = {};
  for (const file of files) {
    try {
      Object.assign(merged, parse(readFileSync(file, 'utf8'), { customTags: [UNSAFE_TAG] }) ?? {});
    } catch (e) {
      throw new ReviewInputError(`${file}: not valid YAML (${(e as Error).message})`);
    }
  }
  return merged;
}

function varsFiles(dir: string, first?: string): string[] {
  if (!existsSync(dir)) return [];
  const rank = (name: string) => (name.replace(/\.ya?ml$/, '') === first ? 0 : 1);
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? varsFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
}
