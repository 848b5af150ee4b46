/**
 * What `ras synth`, `ras build` and `ras check` write beside the tenant stacks from the whole
 * fleet: the image pipeline stack (`fleet/`) and the Prometheus configuration (`monitoring/`).
 * Each is swapped in whole; written into the staging folder, both arrive with the stacks.
 */
import type { FleetModel } from '../contract/model';
import { writeFleetMonitoring } from '../monitoring/write';
import { synthImagePipeline } from '../stacks/image-pipeline-stack';

export function writeFleetOutputs(dir: string, fleet: FleetModel, rolesDir?: string): void {
  synthImagePipeline(fleet.settings, dir);
  writeFleetMonitoring(dir, { rolesDir });
}
