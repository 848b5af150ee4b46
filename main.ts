/**
 * The cdktf app (`cdktf synth`, `cdktf deploy <tenant>`). It shares stacks/synth with the `ras`
 * CLI. Contract problems are printed with file, line and field, and nothing is synthesized.
 */
import { loadFleet } from './contract/load';
import { ContractError } from './contract/problems';
import { synthInto } from './stacks/synth';

try {
  synthInto(loadFleet(), process.env.CDKTF_OUTDIR ?? 'cdktf.out');
} catch (e) {
  if (!(e instanceof ContractError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
