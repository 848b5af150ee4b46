/**
 * Names of the fleet stacks (one per region) in the cdktf output. The '_' can never appear in a
 * tenant id (lower-case letters, digits and '-'), so readers of tenant stacks (output/read.ts) can
 * tell the two apart by name alone.
 */
export const FLEET_STACK_PREFIX = 'fleet_';

export function fleetStackName(region: string): string {
  return `${FLEET_STACK_PREFIX}${region}`;
}

export function isFleetStack(stackId: string): boolean {
  return stackId.startsWith(FLEET_STACK_PREFIX);
}
