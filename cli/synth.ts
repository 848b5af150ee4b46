import { loadFleet, type ContractPaths } from '../contract/load';
import { synthTenants } from '../stacks/synth';
import { parseArgs, single, UsageError, type ParsedArgs } from './args';

export function contractPaths(args: ParsedArgs): ContractPaths {
  return { fleetFile: single(args, 'fleet') ?? 'fleet.yaml', tenantsDir: single(args, 'tenants') ?? 'tenants' };
}

export function runSynth(argv: string[]): number {
  const args = parseArgs(argv, ['fleet', 'tenants', 'outdir', 'tenant']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const result = synthTenants({ paths: contractPaths(args), outdir: single(args, 'outdir'), only: args.options.get('tenant') });
  for (const stack of result.stacks) {
    const tenant = result.fleet.tenants.find((t) => t.id === stack.id);
    const notes = [tenant?.active === false ? 'terminated' : 'active', tenant?.scope.inScope === false ? 'out of ISO/IEC 27017 scope' : 'in scope'];
    process.stdout.write(`${stack.dir}/cdk.tf.json  (${notes.join(', ')})\n`);
  }
  process.stdout.write(`synthesized ${result.stacks.length} of ${result.fleet.tenants.length} tenant stack(s)\n`);
  return 0;
}

export function runValidate(argv: string[]): number {
  const args = parseArgs(argv, ['fleet', 'tenants']);
  const fleet = loadFleet(contractPaths(args));
  process.stdout.write(`${fleet.tenants.length} tenant contract(s) and ${fleet.sourceFile} are valid\n`);
  return 0;
}
