/**
 * cdktf.out/manifest.json, merged from parts. cdktf writes it with json-stable-stringify (sorted
 * keys, two-space indent); writing merged manifests the same way keeps the output byte-identical
 * whether stacks were synthesized in one app, in parallel chunks, or one tenant at a time.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringify from 'json-stable-stringify';

interface Manifest {
  readonly stacks: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export function readManifest(outdir: string): Manifest | undefined {
  const file = join(outdir, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
}

/** Writes `parts` merged (later stacks win) into outdir/manifest.json, atomically. */
export function writeMergedManifest(outdir: string, parts: readonly Manifest[], keep?: Manifest): void {
  const base = keep ?? parts[0];
  const merged = { ...base, stacks: Object.assign({}, keep?.stacks, ...parts.map((p) => p.stacks)) };
  const file = join(outdir, 'manifest.json');
  writeFileSync(`${file}.tmp-${process.pid}`, stringify(merged, { space: 2 }) ?? '');
  renameSync(`${file}.tmp-${process.pid}`, file);
}
