/** Synthesizes constructs or tenant stacks in memory and gives typed access to the Terraform JSON. */
import { App, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { loadFleet, type ContractPaths } from '../../contract/load';
import type { FleetModel, TenantModel } from '../../contract/model';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TenantStack } from '../../stacks/tenant-stack';
import { ConstructPropsError } from '../../constructs/validate';
import { REPO } from './workspace';
import { join } from 'node:path';

export type TfJson = {
  resource: Record<string, Record<string, Record<string, any>>>;
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  output?: Record<string, any>;
};

export const EXAMPLES: ContractPaths = { fleetFile: join(REPO, 'fleet.yaml'), tenantsDir: join(REPO, 'tenants') };

export function exampleFleet(paths: ContractPaths = EXAMPLES): FleetModel {
  return loadFleet(paths);
}

export function exampleTenant(id: string, fleet = exampleFleet()): TenantModel {
  const t = fleet.tenants.find((x) => x.id === id);
  if (t === undefined) throw new Error(`no example tenant ${id}`);
  return t;
}

/** The tenant's stack, synthesized with validations run, as parsed JSON. */
export function synthTenant(id: string, fleet = exampleFleet()): TfJson {
  const app = Testing.app();
  const stack = new TenantStack(app, { tenant: exampleTenant(id, fleet), fleet: fleet.settings });
  return JSON.parse(Testing.synth(stack, true)) as TfJson;
}

/** A bare stack with whatever `build` adds, synthesized with validations run. */
export function synthConstructs(build: (stack: TerraformStack) => void): { json: TfJson; raw: string } {
  const app: App = Testing.app();
  const stack = new TerraformStack(app as Construct, 'test');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  build(stack);
  const raw = Testing.synth(stack, true);
  return { json: JSON.parse(raw) as TfJson, raw };
}

/** The problems `build` is refused with, as [code, field] pairs (fails if it is not refused). */
export function refused(build: (stack: TerraformStack) => void): [code: string, field: string][] {
  try {
    synthConstructs(build);
  } catch (e) {
    if (e instanceof ConstructPropsError) return e.problems.map((p) => [p.code, p.field]);
    throw e;
  }
  throw new Error('expected a ConstructPropsError');
}

/** All resources of one type, as a list of their configurations. */
export function resources(json: TfJson, type: string): Record<string, any>[] {
  return Object.values(json.resource[type] ?? {});
}

export function only(json: TfJson, type: string): Record<string, any> {
  const list = resources(json, type);
  if (list.length !== 1) throw new Error(`expected one ${type}, found ${list.length}`);
  return list[0];
}
