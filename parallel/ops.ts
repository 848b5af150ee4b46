/**
 * The operations a worker thread runs (parallel/pool.ts), by name, each loaded only when first
 * asked for: a worker that only synthesizes never loads the rules or the report renderers.
 * The main thread runs the same functions for its own share, so both paths are one code.
 */

/** State a worker keeps between the operations of one job (e.g. the parsed output of the chunks it took). */
export type Session = Map<string, unknown>;

export type Operation = (args: never, session: Session) => unknown;

/* eslint-disable @typescript-eslint/no-require-imports */
const OPERATIONS = {
  synth: () => {
    const { synthChunks } = require('../stacks/synth') as typeof import('../stacks/synth');
    return (args: import('../stacks/synth').ChunkArgs) => synthChunks(args);
  },
  parse: () => (require('../contract/parse-cache') as typeof import('../contract/parse-cache')).parseForCache,
  'build-synth': () => (require('../build/per-thread') as typeof import('../build/per-thread')).synthAndRead,
  'build-judge': () => (require('../build/per-thread') as typeof import('../build/per-thread')).judge,
} satisfies Record<string, () => Operation>;
/* eslint-enable @typescript-eslint/no-require-imports */

export type OpName = keyof typeof OPERATIONS | 'exit';

export function operation(name: string): Operation {
  const load = (OPERATIONS as Record<string, (() => Operation) | undefined>)[name];
  if (load === undefined) throw new Error(`unknown operation ${JSON.stringify(name)}`);
  return load();
}
