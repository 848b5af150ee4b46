/**
 * The operations a worker thread runs in `ras build` (parallel/pool.ts), by name, each loaded only
 * when first asked for: a worker that only synthesizes never loads the rules or the report renderers.
 * The main thread runs the same functions for its own share, so both paths are one code.
 */
import type { Operations, WorkerPool } from '../parallel/pool';
import { OPERATIONS as SYNTH_OPERATIONS } from '../stacks/ops';

/* eslint-disable @typescript-eslint/no-require-imports -- each loaded only when first asked for */
export const OPERATIONS = {
  ...SYNTH_OPERATIONS,
  parse: () => (require('../contract/parse-cache') as typeof import('../contract/parse-cache')).parseForCache,
  'build-chunks': () => (require('./per-thread') as typeof import('./per-thread')).buildChunks,
} satisfies Operations;
/* eslint-enable @typescript-eslint/no-require-imports */

export type OpName = keyof typeof OPERATIONS;

export type BuildPool = WorkerPool<OpName>;

/** This module, for the workers to load (the compiled file next to the running code). */
export const BUILD_REGISTRY = __filename;
