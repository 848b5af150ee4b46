import { choice, parseArgs, type CommandSpec } from './args';
import { outputFolders, printVerdict, OUTPUT_OPTIONS } from './build';

export const MERGE_COMMAND: CommandSpec = {
  name: 'merge',
  positionals: '<shard folder>...',
  options: { ...OUTPUT_OPTIONS },
  notes: 'exit status: 0 every tenant passed, 1 a finding or shards that do not belong together, 2 usage error',
};

/**
 * `ras merge`: the folders of `ras build --shard I/N --out DIR` (all N of them) joined into what
 * one `ras build` writes and prints: stacks and manifest.json, every report and the fleet page,
 * the findings and the exit status (build/merge.ts).
 */
export function runMerge(argv: string[]): number {
  const args = parseArgs(argv, MERGE_COMMAND);
  choice(args, 'format', ['text', 'json'], 'text');
  const folders = outputFolders(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { mergeShards } = require('../build/merge') as typeof import('../build/merge');
  return printVerdict(args, mergeShards(args.positionals, folders), folders.reportsDir);
}
