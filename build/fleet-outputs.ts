/**
 * What `ras synth`, `ras build` and `ras check` write beside the tenant stacks from the whole
 * fleet: the image pipeline stack (`fleet/`) and the Prometheus configuration (`monitoring/`).
 * Each is swapped in whole; written into the staging folder, both arrive with the stacks.
 */
import type { FleetModel } from '../contract/model';
import { writeFleetMonitoring } from '../monitoring/write';
import type { ScrapeTargetResult } from '../output/scrape-target';

export interface FleetOutputOptions {
  /** Ansible roles whose defaults underlie the rendered variables. @default - the product's */
  readonly rolesDir?: string;
  /** Every stack's scrape target, when the caller has read the stacks already. @default - read here */
  readonly targets?: readonly ScrapeTargetResult[];
  /** Only these tenants' stacks were synthesized (the others' are kept). @default - all */
  readonly only?: readonly string[];
  /**
   * The last build's fleet outputs in `dir` were made from the same code and fleet settings, and
   * these tenants' scrape targets are as they were then (build/pipeline.ts): the image pipeline
   * stays, and only the other tenants' target files are written. @default - everything written
   */
  readonly kept?: { readonly tenants: ReadonlySet<string> };
}

export function writeFleetOutputs(dir: string, fleet: FleetModel, options: FleetOutputOptions = {}): void {
  if (options.kept === undefined) {
    // cdktf is loaded only here, not by every caller of this module (~0.4 s).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthImagePipeline } = require('../stacks/image-pipeline-stack') as typeof import('../stacks/image-pipeline-stack');
    synthImagePipeline(fleet.settings, dir);
  }
  writeFleetMonitoring(dir, { rolesDir: options.rolesDir, results: options.targets, only: options.only, kept: options.kept?.tenants });
}
