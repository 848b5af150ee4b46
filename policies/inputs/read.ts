/**
 * The rules' view of one tenant's synthesized output, built from what output/read.ts read (the
 * one reader of cdk.tf.json, the gateway variables and portal.json).
 */
import { join } from 'node:path';
import { gatewayVariables, readGatewayLayers, roleDefaults, type GatewayVariables } from '../../output/gateway-variables';
import type { PortalInput } from '../../output/portal';
import { portalOf } from '../../output/portal';
import { readOutputFolder, stackReader, type ReadOptions, type StackOutput } from '../../output/read';
import { defaultTags, resourcesIn } from '../../output/terraform';
import type { TenantView, TfJson } from '../types';

export type { ReadOptions } from '../../output/read';

/** The view of the stack in `stackDir` (a folder holding cdk.tf.json). */
export function readTenantView(stackDir: string, options: ReadOptions = {}): TenantView {
  return viewOfStack(stackReader(options)(stackDir));
}

/** Each fleet stack's resources, listed once however many tenant views share it. */
const fleetResources = new WeakMap<TfJson, TenantView['resources']>();

function resourcesOnce(tf: TfJson): TenantView['resources'] {
  let found = fleetResources.get(tf);
  if (found === undefined) {
    found = resourcesIn(tf);
    fleetResources.set(tf, found);
  }
  return found;
}

/** The view of a stack as read. */
export function viewOfStack(stack: StackOutput): TenantView {
  const view = tenantView(stack.id, stack.tf, portalOf(stack.portal), stack.gatewayLayers === undefined ? undefined : gatewayVariables(stack.gatewayLayers));
  const backend = stack.stateBackendStack;
  return backend === undefined ? view : { ...view, stateBackendStack: { id: backend.id, resources: resourcesOnce(backend.tf) } };
}

/** The view of already-parsed output (pure; tests build and mutate views with it). */
export function tenantView(stackId: string, tf: TfJson, portal: PortalInput, gateway?: GatewayVariables): TenantView {
  return { stackId, tf, resources: resourcesIn(tf), tags: defaultTags(tf), gateway, portal };
}

/** Every stack under `<outdir>/stacks/`, in name order. */
export function readFleetViews(outdir: string, options: ReadOptions = {}): TenantView[] {
  return readOutputFolder(outdir, options).map(viewOfStack);
}

/** A reader of stacks by name (in name order) that reads the role defaults once, however many calls follow. */
export function viewReader(options: ReadOptions = {}): (outdir: string, ids: readonly string[]) => TenantView[] {
  const read = stackReader(options);
  return (outdir, ids) => [...ids].sort().map((id) => viewOfStack(read(join(outdir, 'stacks', id))));
}

/** Variables in Ansible's precedence: role defaults < group_vars (all first) < host_vars. */
export function readGatewayVariables(stackDir: string, rolesDir?: string): GatewayVariables | undefined {
  const layers = readGatewayLayers(stackDir, roleDefaults(rolesDir));
  return layers === undefined ? undefined : gatewayVariables(layers);
}
