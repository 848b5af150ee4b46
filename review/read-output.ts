/**
 * A synthesized output folder (cdktf.out) as plan review compares it, built from what
 * output/read.ts read (the one reader of cdk.tf.json, the gateway variables over the roles'
 * defaults, and portal.json). What review needs beyond the rules' view: it cannot review a file
 * it cannot read, and zero tenants is never a review worth passing.
 */
import { join } from 'node:path';
import { mergedVariables } from '../output/gateway-variables';
import { OutputReadError, stackIds, stackReader, type StackOutput } from '../output/read';
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
  const stacks = stackIds(outdir);
  const stacksDir = join(outdir, 'stacks');
  if (stacks === undefined) throw new ReviewInputError(`${outdir} holds no synthesized stacks (expected ${stacksDir}/<tenant>/cdk.tf.json)`);
  const read = stackReader({ rolesDir: options.rolesDir });
  const tenants = new Map<string, TenantOutput>();
  for (const id of stacks.ids) {
    let stack: StackOutput;
    try {
      stack = read(join(stacks.dir, id));
    } catch (e) {
      throw e instanceof OutputReadError ? new ReviewInputError(e.message) : e;
    }
    tenants.set(id, { id, dir: stack.dir, config: stack.tf as StackConfig, gatewayVars: gatewayVars(stack), portal: portal(stack) });
  }
  // Zero tenants would compare as "No changes" against anything empty: never a review worth
  // passing. The one exception is a fleet-only output (fleet stacks, no tenant yet): the base of
  // the fleet's first tenant, whose creation is a review like any other. That both sides are
  // not empty is judged where both are known (reviewSides).
  if (tenants.size === 0 && stacks.fleetIds.length === 0) throw new ReviewInputError(`${outdir}: no tenant stack (expected ${stacksDir}/<tenant>/cdk.tf.json; run \`ras synth\` there first)`);
  return tenants;
}

/** The gateway's variables as Ansible merges them; undefined where nothing was rendered. A file Ansible would read otherwise cannot be reviewed. */
function gatewayVars(stack: StackOutput): Record<string, unknown> | undefined {
  if (stack.gatewayLayers === undefined) return undefined;
  const unreadable = stack.gatewayLayers.find((l) => l.unreadable !== undefined);
  if (unreadable !== undefined) throw new ReviewInputError(`${stack.dir}: ${unreadable.file} cannot be reviewed: ${unreadable.unreadable}`);
  return mergedVariables(stack.gatewayLayers).merged;
}

function portal(stack: StackOutput): Record<string, unknown> | undefined {
  const file = stack.portal;
  if ('absent' in file) return undefined;
  if ('invalid' in file) throw new ReviewInputError(`${join(stack.dir, 'portal.json')}: not valid JSON (${file.invalid})`);
  return file.value as Record<string, unknown>;
}
