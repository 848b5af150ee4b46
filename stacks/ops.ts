/**
 * The worker operations of synthesis, for a WorkerPool started with SYNTH_REGISTRY (main.ts,
 * `ras synth`): a registry module in the sense of parallel/pool.ts. build/ops.ts includes them.
 */
import type { Operations } from '../parallel/pool';

/* eslint-disable @typescript-eslint/no-require-imports -- each loaded only when first asked for */
export const OPERATIONS = {
  synth: () => {
    const { synthChunks } = require('./synth-thread') as typeof import('./synth-thread');
    return (args: import('./synth-thread').ChunkArgs) => synthChunks(args);
  },
} satisfies Operations;
/* eslint-enable @typescript-eslint/no-require-imports */

export type SynthOpName = keyof typeof OPERATIONS;

/** This module, for the workers to load (the compiled file next to the running code). */
export const SYNTH_REGISTRY = __filename;
