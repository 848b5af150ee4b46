/**
 * What `ras synth`, `ras build` and `ras check` write beside the tenant stacks from the whole
 * fleet: the image pipeline stack (`fleet/`) and the Prometheus configuration (`monitoring/`).
 * Each is swapped in whole; written into the staging folder, both arrive with the stacks.
 */
import type { FleetModel } from '../contract/model';
import { writeFleetMonitoring } from '../monitoring/write';
import type { ScrapeTargetResult } from '../output/scrape-target';
import { synthImagePipeline } from '../stacks/image-pipeline-stack';

export interface FleetOutputOptions {
  /** Ansible roles whose defaults underlie the rendered variables. @default - the product's */
  readonly rolesDir?: string;
  /** Every stack's scrape target, when the caller has read the stacks already. @default - read here */
  readonly targets?: readonly ScrapeTargetResult[];
  /** Only these tenants' stacks were synthesized (the others' are kept). @default - all */
  readonly only?: readonly string[];
}

export function writeFleetOutputs(dir: string, fleet: FleetModel, options: FleetOutputOptions = {}): void {
  synthImagePipeline(fleet.settings, dir);
  writeFleetMonitoring(dir, { rolesDir: options.rolesDir, results: options.targets, only: options.only });
}
