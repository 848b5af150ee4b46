/**
 * Synthesis of one tenant after an event, through the shared synth function in stacks/synth.ts
 * (the same one `ras synth` and main.ts use), so an event's stack is exactly what `ras synth`
 * would produce.
 */
import type { Synthesize } from '../events/apply';
import type { ContractPaths } from '../contract/load';
import { writeFleetOutputs } from '../build/fleet-outputs';
import { synthTenants } from '../stacks/synth';

export function stackSynthesizer(paths: ContractPaths, outdir: string): Synthesize {
  return async (tenant) => {
    const { stacks } = synthTenants({ paths, outdir, only: [tenant], fleetOutputs: (dir, fleet, only) => writeFleetOutputs(dir, fleet, { only }) });
    const stack = stacks.find((s) => s.id === tenant);
    if (stack === undefined) throw new Error(`synthesis produced no stack for ${tenant}`);
    return { dir: stack.dir };
  };
}
