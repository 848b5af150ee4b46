/**
 * Reads a synthesized output folder (cdktf.out): every stacks/<tenant>/cdk.tf.json and, where the
 * gateway configuration was rendered, stacks/<tenant>/ansible/host_vars/*.yml. These are generated
 * files, not contracts: contract/ stays the only reader of what people write.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ReviewInputError } from './errors';
import type { StackConfig, TenantOutput } from './types';

/** The renderer tags every string `!unsafe` for Ansible; for reading, that is just a string. */
const UNSAFE_TAG = { tag: '!unsafe', resolve: (value: string) => value };

export function readOutput(outdir: string): Map<string, TenantOutput> {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir) || !statSync(stacksDir).isDirectory()) {
    throw new ReviewInputError(`${outdir} holds no synthesized stacks (expected ${stacksDir}/<tenant>/cdk.tf.json)`);
  }
  const tenants = new Map<string, TenantOutput>();
  for (const id of readdirSync(stacksDir).sort()) {
    const dir = join(stacksDir, id);
    const file = join(dir, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    tenants.set(id, { id, dir, config: readJson(file) as StackConfig, gatewayVars: readGatewayVars(dir) });
  }
  return tenants;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReviewInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** All host variable files of the tenant's gateway, merged (one gateway host per tenant today). */
function readGatewayVars(stackDir: string): Record<string, unknown> | undefined {
  const hostVars = join(stackDir, 'ansible', 'host_vars');
  if (!existsSync(hostVars)) return undefined;
  const merged: Record<string, unknown> = {};
  for (const f of readdirSync(hostVars).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort()) {
    const file = join(hostVars, f);
    try {
      Object.assign(merged, parse(readFileSync(file, 'utf8'), { customTags: [UNSAFE_TAG] }) ?? {});
    } catch (e) {
      throw new ReviewInputError(`${file}: not valid YAML (${(e as Error).message})`);
    }
  }
  return merged;
}
