/**
 * `ras drift`: what the deployed state of each tenant holds that the synthesized intent does not,
 * and the ISO/IEC 27017 rules run on what is deployed. Exit 1 on any difference or finding.
 */
import { driftFleet, driftText } from '../drift';
import { DEFAULT_SUPPRESSIONS_FILE } from '../policies/suppressions';
import { parseArgs, single, SUPPRESSIONS_OPTION, UsageError, type CommandSpec } from './args';
import { defaultRolesDir } from '../lib/product-roles';

export const DRIFT_COMMAND: CommandSpec = {
  name: 'drift',
  synopsis: '--states DIR [--tenant ID ...] [options]',
  options: {
    states: { type: 'string', value: 'DIR', description: 'deployed states as DIR/<tenant>.json (terraform show -json of the refreshed state)' },
    tenant: { type: 'string', multiple: true, value: 'ID', description: 'compare only this tenant (default: every tenant with a state file)' },
    outdir: { type: 'string', value: 'DIR', description: 'synthesized output holding the intent (default: cdktf.out)' },
    ...SUPPRESSIONS_OPTION,
  },
  notes: `A state shows what AWS holds only once refreshed: write each file with
  terraform apply -refresh-only -auto-approve && terraform show -json > DIR/<tenant>.json
or from a refresh-only plan (terraform plan -refresh-only -out=p; terraform show -json p).

exit status: 0 no drift, 1 a difference or a failing rule on the deployed state (or a state that cannot be read), 2 usage error`,
};

export function runDrift(argv: string[]): number {
  const args = parseArgs(argv, DRIFT_COMMAND);
  const states = single(args, 'states');
  if (states === undefined) throw new UsageError('--states DIR is required');
  const drifts = driftFleet({
    outdir: single(args, 'outdir') ?? 'cdktf.out',
    statesDir: states,
    only: args.options.get('tenant'),
    rolesDir: defaultRolesDir(),
    suppressionsFile: single(args, 'suppressions') ?? DEFAULT_SUPPRESSIONS_FILE,
  });
  process.stdout.write(driftText(drifts));
  return drifts.every((d) => d.differences.length === 0 && d.verdict.passed) ? 0 : 1;
}
