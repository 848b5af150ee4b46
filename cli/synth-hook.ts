/**
 * Synthesis of one tenant after an event, through the shared synth function in stacks/synth.ts
 * (the same one `ras synth` and main.ts use). Loaded lazily: provider bindings are costly to
 * import, and an event that is refused or duplicate never needs them.
 */
import { join } from 'node:path';
import type { Synthesize } from '../contract/events/apply';
import type { ContractPaths } from '../contract/load';

interface SynthModule {
  synthTenants(options: { paths: ContractPaths; outdir: string; only?: string[] }): { stacks: { id: string; dir: string }[] } | Promise<{ stacks: { id: string; dir: string }[] }>;
}

export function stackSynthesizer(paths: ContractPaths, outdir: string): Synthesize {
  return async (tenant) => {
    const mod = loadSynthModule();
    const { stacks } = await mod.synthTenants({ paths, outdir, only: [tenant] });
    const stack = stacks.find((s) => s.id === tenant);
    if (stack === undefined) throw new Error(`synthesis produced no stack for ${tenant}`);
    return { dir: stack.dir };
  };
}

function loadSynthModule(): SynthModule {
  // A computed path: this module must build even where stacks/synth.ts is not there yet.
  const path = join(__dirname, '..', 'stacks', 'synth');
  try {
    return require(path) as SynthModule;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(path)) {
      throw new Error('stacks/synth is not part of this build; run `ras synth` once it is, or use --no-synth');
    }
    throw e;
  }
}
