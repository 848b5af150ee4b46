/**
 * The one reader of synthesized output (cdktf.out): every stacks/<tenant>/cdk.tf.json and, where
 * they were rendered, the gateway variables (ansible/group_vars, host_vars, over the roles'
 * defaults) and portal.json. policies/ builds its TenantView from a StackOutput, review/ its
 * TenantOutput: both read the same files the same way. These are generated files, not
 * contracts: contract/ stays the only reader of what people write.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readGatewayLayers, roleDefaults, type VariableLayer } from './gateway-variables';
import { readPortalFile, type PortalFile } from './portal';
import { block, resourcesIn, type TfJson } from './terraform';
import { isFleetStack } from '../lib/fleet-stack-name';

export const STACK_FILE = 'cdk.tf.json';

/** One tenant's synthesized output, as read. */
export interface StackOutput {
  /** The stack's folder name (the tenant id cdktf used). */
  readonly id: string;
  /** Folder holding cdk.tf.json. */
  readonly dir: string;
  readonly tf: TfJson;
  /** Gateway variable files, lowest precedence first; undefined where none were rendered. */
  readonly gatewayLayers?: readonly VariableLayer[];
  readonly portal: PortalFile;
  /**
   * The fleet stack (fleet_<region>, beside the tenant stacks) that makes the bucket holding this
   * stack's Terraform state, with the trail recording each run; undefined when none in the output does.
   */
  readonly stateBackendStack?: FleetStackOutput;
}

/** A fleet stack as read (stacks/fleet_<region>/cdk.tf.json). */
export interface FleetStackOutput {
  readonly id: string;
  readonly tf: TfJson;
}

export interface ReadOptions {
  /**
   * Ansible roles folder whose `<role>/defaults/main.yml` hold the lowest-precedence values
   * (e.g. the crypto profiles' proposals). @default - none (only the rendered variables)
   */
  readonly rolesDir?: string;
  /**
   * Folder holding the fleet stacks (fleet_<region>/cdk.tf.json), when they are not beside the
   * stack being read (a build judges each chunk of tenants in a folder of its own).
   * @default - the folder holding the stack being read
   */
  readonly fleetStacksDir?: string;
}

/** A file of the output that is not what it should be (cdk.tf.json that is not JSON). */
export class OutputReadError extends Error {}

/** A reader of stack folders that reads the role defaults and the fleet stacks once, however many stacks follow. */
export function stackReader(options: ReadOptions = {}): (stackDir: string) => StackOutput {
  const defaults = roleDefaults(options.rolesDir);
  const fleetStacks = new Map<string, FleetStackOutput[]>();
  const fleetStacksIn = (dir: string): FleetStackOutput[] => {
    let found = fleetStacks.get(dir);
    if (found === undefined) {
      found = (existsSync(dir) ? readdirSync(dir) : [])
        .sort()
        .filter((d) => isFleetStack(d) && existsSync(join(dir, d, STACK_FILE)))
        .map((id) => ({ id, tf: readJson(join(dir, id, STACK_FILE)) as TfJson }));
      fleetStacks.set(dir, found);
    }
    return found;
  };
  return (stackDir) => {
    const tf = readJson(join(stackDir, STACK_FILE)) as TfJson;
    return {
      id: basename(stackDir),
      dir: stackDir,
      tf,
      gatewayLayers: readGatewayLayers(stackDir, defaults),
      portal: readPortalFile(stackDir),
      stateBackendStack: stateBackendStackOf(tf, fleetStacksIn(options.fleetStacksDir ?? dirname(stackDir))),
    };
  };
}

/** The fleet stack that makes the S3 bucket named in `tf`'s backend. */
function stateBackendStackOf(tf: TfJson, fleetStacks: readonly FleetStackOutput[]): FleetStackOutput | undefined {
  const bucket = block(block(tf.terraform?.backend)?.s3)?.bucket;
  if (typeof bucket !== 'string') return undefined;
  return fleetStacks.find((f) => resourcesIn(f.tf).some((r) => r.type === 'aws_s3_bucket' && r.config.bucket === bucket));
}

/** The stack in `stackDir` (a folder holding cdk.tf.json). */
export function readStack(stackDir: string, options: ReadOptions = {}): StackOutput {
  return stackReader(options)(stackDir);
}

/** `<outdir>/stacks/`, and the ids of the tenant stacks and of the fleet stacks in it (folders holding cdk.tf.json) in name order; undefined when there is no such folder. */
export function stackIds(outdir: string): { readonly dir: string; readonly ids: string[]; readonly fleetIds: string[] } | undefined {
  const dir = join(outdir, 'stacks');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const all = readdirSync(dir).sort().filter((d) => existsSync(join(dir, d, STACK_FILE)));
  // Fleet stacks (fleet_<region>) are not tenants: the rules and plan review judge tenants.
  return { dir, ids: all.filter((d) => !isFleetStack(d)), fleetIds: all.filter(isFleetStack) };
}

/** Every stack under `<outdir>/stacks/`, in name order (none when there is no such folder). */
export function readOutputFolder(outdir: string, options: ReadOptions = {}): StackOutput[] {
  const stacks = stackIds(outdir);
  if (stacks === undefined) return [];
  const read = stackReader(options);
  return stacks.ids.map((id) => read(join(stacks.dir, id)));
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new OutputReadError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}
