/**
 * Synthesizes the fleet stacks (one per region, stacks/fleet-stack.ts) into the same output as the
 * tenant stacks, so `cdktf deploy fleet_<region>` works from the same cdktf.out/. They are built
 * in an app of their own (written aside, then moved in and merged into the manifest) so the tenant
 * synthesis, serial or in parallel chunks, stays as it is.
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import type { FleetModel } from '../contract/model';
import { FleetStack } from './fleet-stack';
import { readManifest, writeMergedManifest } from './manifest';

export function synthFleetStacks(fleet: FleetModel, outdir: string): void {
  const aside = join(outdir, `.fleet-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  try {
    const app = new App({ outdir: aside, stackTraces: false, skipValidation: true });
    for (const region of Object.keys(fleet.settings.regions).sort()) new FleetStack(app, { fleet: fleet.settings, region });
    app.synth();
    mkdirSync(join(outdir, 'stacks'), { recursive: true });
    for (const name of readdirSync(join(aside, 'stacks'))) {
      rmSync(join(outdir, 'stacks', name), { recursive: true, force: true });
      renameSync(join(aside, 'stacks', name), join(outdir, 'stacks', name));
    }
    writeMergedManifest(outdir, [readManifest(aside)!], readManifest(outdir));
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}
