/**
 * What each thread does when a fleet is synthesized (stacks/synth.ts): one cdktf app for a set of
 * tenants, or chunks of tenants taken until none is left.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import type { FleetModel, TenantModel } from '../contract/model';
import { writeGatewayConfig } from '../gateway-config';
import { chunkDir, pick, takeChunks, type ChunkPlan } from './chunks';
import { writePortalSettings } from './portal-settings';
import { disableTokenCreationTraces, forgettingTokens } from './synth-speed';
import { TenantStack } from './tenant-stack';

export interface ChunkArgs {
  readonly fleet: FleetModel;
  readonly outdir: string;
  readonly plan: ChunkPlan;
}

/**
 * Worker operation `synth` (stacks/ops.ts), run by every thread: chunks until none is left,
 * `then` called after each. Returns the chunks done.
 */
export function synthChunks(args: ChunkArgs, then?: (k: number) => void): number[] {
  return takeChunks(args.plan, (k) => {
    synthSerial(args.fleet, chunkDir(args.outdir, k), pick(args.fleet, args.plan.ids[k]));
    then?.(k);
  });
}

/** Synthesizes `tenants` in one cdktf app on this thread. */
export function synthSerial(fleet: FleetModel, outdir: string, tenants: readonly TenantModel[]): void {
  disableTokenCreationTraces();
  mkdirSync(outdir, { recursive: true });
  // stackTraces: false keeps construction traces out of construct metadata (never synthesized).
  // skipValidation: cdktf's validations add, for every terraform_data, a probe that spawns
  // `terraform version` (45 s for 1,000 tenants); the stacks' validations run in the tests
  // (Testing.synth with validations on) and `terraform validate` checks the real output.
  forgettingTokens(() => {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    for (const tenant of tenants) new TenantStack(app, { tenant, fleet: fleet.settings });
    app.synth();
  });
  for (const t of tenants) {
    const dir = join(outdir, 'stacks', t.id);
    writePortalSettings(dir, t);
    // The gateway's Ansible inventory and variables, from the same model (every active gateway:
    // Type A's VPN roles or Type B's relay role, chosen by ansible/site.yml from the variables).
    if (t.active) writeGatewayConfig(dir, t, fleet.settings);
  }
}
