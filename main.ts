/**
 * The cdktf app (`cdktf synth`, `cdktf deploy <tenant>`). It shares stacks/synth with the `ras`
 * CLI. Contract problems are printed with file, line and field, and nothing is synthesized.
 */
import { DEFAULT_PATHS, loadFleet } from './contract/load';
import { ContractError } from './contract/problems';
import { writeFleetMonitoring } from './monitoring/write';
import { synthImagePipeline } from './stacks/image-pipeline-stack';
import { synthInto } from './stacks/synth';

try {
  // RAS_FLEET_FILE / RAS_TENANTS_DIR point the app at another fleet (benchmarks, a staging fleet).
  const paths = { fleetFile: process.env.RAS_FLEET_FILE ?? DEFAULT_PATHS.fleetFile, tenantsDir: process.env.RAS_TENANTS_DIR ?? DEFAULT_PATHS.tenantsDir };
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const fleet = loadFleet(paths);
  synthInto(fleet, outdir);
  // What `ras synth` writes beside the stacks too (build/fleet-outputs.ts, which this layer cannot import).
  synthImagePipeline(fleet.settings, outdir);
  writeFleetMonitoring(outdir);
} catch (e) {
  if (!(e instanceof ContractError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
