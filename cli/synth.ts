import type { FleetModel } from '../contract/model';
import { countTenantFiles } from '../contract/files';
import { threadCount, WorkerPool } from '../parallel/pool';
import { endPhase } from '../lib/progress';
import { SYNTH_REGISTRY } from '../stacks/ops';
import { CONTRACT_OPTIONS, contractPaths, parseArgs, QUIET_OPTION, single, startProgress, type CommandSpec } from './args';

export const SYNTH_COMMAND: CommandSpec = {
  name: 'synth',
  options: {
    ...CONTRACT_OPTIONS,
    outdir: { type: 'string', value: 'DIR', description: 'synthesized output folder (default: cdktf.out)' },
    tenant: { type: 'string', multiple: true, value: 'ID', description: "synthesize only this tenant (the others' stacks are kept)" },
    ...QUIET_OPTION,
  },
  notes: 'exit status: 0 synthesized, 1 a contract was refused (nothing is written), 2 usage error',
};

export const VALIDATE_COMMAND: CommandSpec = {
  name: 'validate',
  options: CONTRACT_OPTIONS,
  notes: 'checks every contract and reports every problem; writes nothing\nexit status: 0 valid, 1 a contract was refused, 2 usage error',
};

/* eslint-disable @typescript-eslint/no-require-imports -- loaded after the workers start (see runSynth) */
export function runSynth(argv: string[]): number {
  const args = parseArgs(argv, SYNTH_COMMAND);
  startProgress('synth', args);
  const options = { paths: contractPaths(args), outdir: single(args, 'outdir'), only: args.options.get('tenant') };
  // Workers start before cdktf is loaded here, so they load theirs meanwhile (parallel/pool.ts);
  // synthTenants closes them whatever happens.
  const pool = new WorkerPool(threadCount(options.only?.length ?? countTenantFiles(options.paths.tenantsDir)) - 1, SYNTH_REGISTRY, ['synth']);
  const { synthTenants } = require('../stacks/synth') as typeof import('../stacks/synth');
  const { writeFleetOutputs } = require('../build/fleet-outputs') as typeof import('../build/fleet-outputs');
  const result = synthTenants({ ...options, pool, fleetOutputs: (dir, fleet, only) => writeFleetOutputs(dir, fleet, { only }) });
  endPhase();
  for (const stack of result.stacks) {
    const tenant = result.fleet.tenants.find((t) => t.id === stack.id);
    const notes = [tenant?.active === false ? 'terminated' : 'active', tenant?.scope.inScope === false ? 'out of ISO/IEC 27017 scope' : 'in scope'];
    process.stdout.write(`${stack.dir}/cdk.tf.json  (${notes.join(', ')})\n`);
  }
  process.stdout.write(`synthesized ${result.stacks.length} of ${result.fleet.tenants.length} tenant stack(s)\n`);
  return 0;
}

export function runValidate(argv: string[]): number {
  const args = parseArgs(argv, VALIDATE_COMMAND);
  const { loadFleet } = require('../contract/load') as typeof import('../contract/load');
  const fleet: FleetModel = loadFleet(contractPaths(args));
  process.stdout.write(`${fleet.tenants.length} tenant contract(s) and ${fleet.sourceFile} are valid\n`);
  return 0;
}
/* eslint-enable @typescript-eslint/no-require-imports */
