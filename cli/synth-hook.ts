/**
 * Synthesis of one tenant after an event, through the shared synth function in stacks/synth.ts
 * (the same one `ras synth` and main.ts use). Loaded lazily: provider bindings are costly to
 * import, and an event that is refused or a duplicate never needs them.
 */
import type { Synthesize } from '../contract/events/apply';
import type { ContractPaths } from '../contract/load';

export function stackSynthesizer(paths: ContractPaths, outdir: string): Synthesize {
  return async (tenant) => {
    const { synthTenants } = require('../stacks/synth') as typeof import('../stacks/synth');
    const { stacks } = synthTenants({ paths, outdir, only: [tenant] });
    const stack = stacks.find((s) => s.id === tenant);
    if (stack === undefined) throw new Error(`synthesis produced no stack for ${tenant}`);
    return { dir: stack.dir };
  };
}
