import { TerraformElement, TerraformOutput, TerraformStack, Token, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * cdktf records a full JavaScript stack trace every time it creates a token (each attribute
 * reference such as `bucket.arn`), only to show where an unresolvable token came from. On a
 * 50-resource tenant stack that is most of the construction time (measured: 2.0 s of 2.3 s for 200
 * tenants). Synthesis output does not depend on it, so the product switches it off; a failing
 * resolution still names the token, just not the line that created it.
 *
 * The hook is cdktf's internal module; if a future version moves it, this silently does nothing
 * and synthesis is only slower.
 */
let disabled = false;

export function disableTokenCreationTraces(): void {
  if (disabled) return;
  disabled = true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    traces.captureStackTrace = () => [];
  } catch {
    // not present in this cdktf version: keep the default behaviour
  }
}

/** cdktf's process-wide token registry (cdktf/lib/tokens/private/token-map.js), as far as it is used here. */
interface TokenRegistry {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

function tokenRegistry(): TokenRegistry | undefined {
  const map = (globalThis as { __cdktfTokenMap?: Partial<TokenRegistry> }).__cdktfTokenMap;
  return map?.stringTokenMap instanceof Map && map.numberTokenMap instanceof Map ? (map as TokenRegistry) : undefined;
}

/**
 * Runs `synth` (one cdktf app, synthesized and dropped) and then forgets the tokens it registered.
 * cdktf keeps every token it ever encodes in one process-wide map, never emptied; a reference token
 * holds its construct, so every app's whole construct tree stayed reachable: measured 0.14 MB per
 * tenant kept for the life of the thread (1.4 GB at 10,000 tenants). The app's tokens are used only
 * while it synthesizes; the tokens registered before it (module-level ones) stay, and the counter
 * that names new tokens is untouched, so no later token can take a forgotten one's string.
 * If a future cdktf stores its tokens elsewhere this does nothing, and memory grows as before.
 */
export function forgettingTokens<T>(synth: () => T): T {
  const before = tokenRegistry();
  const sizes = before === undefined ? undefined : { strings: before.stringTokenMap.size, numbers: before.numberTokenMap.size };
  try {
    return synth();
  } finally {
    const registry = tokenRegistry();
    if (registry !== undefined && registry === before && sizes !== undefined) {
      dropAfter(registry.stringTokenMap, sizes.strings);
      dropAfter(registry.numberTokenMap, sizes.numbers);
    }
  }
}

/** Removes the entries of `map` after its first `keep` (a Map iterates in insertion order). */
function dropAfter<K>(map: Map<K, unknown>, keep: number): void {
  if (map.size <= keep) return;
  const late: K[] = [];
  let i = 0;
  for (const key of map.keys()) if (i++ >= keep) late.push(key);
  for (const key of late) map.delete(key);
}

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- cdktf's own internals, typed as it types them */
const { resolve } = require('cdktf/lib/_tokens') as { resolve: (scope: IConstruct, obj: unknown) => any };
const { deepMerge } = require('cdktf/lib/util') as { deepMerge: (target: any, ...sources: any[]) => any };

/**
 * A stack's Terraform JSON with every element resolved once. cdktf's TerraformStack.toTerraform
 * (0.21.0) resolves each element's fragment, merges them, then resolves the merged document a
 * second time: a full walk (a fifth of synthesis time) that can only change something when the
 * stack's raw overrides hold tokens. This is the same function without that walk; it returns
 * undefined when an override holds a token, and the caller falls back to cdktf's own.
 * test/stacks/tenant-stack.test.ts checks both give the same document for every example tenant.
 */
export function toTerraformResolvedOnce(stack: TerraformStack): any {
  const { rawOverrides: overrides, cdktfVersion } = stack as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
  if (holdsToken(overrides)) return undefined;
  const elements = terraformElements(stack);
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (const e of elements) deepMerge(metadata, resolve(stack, e.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const item of elements) {
    if (!TerraformOutput.isTerraformOutput(item)) continue;
    deepMerge(
      outputs,
      item.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {}),
    );
  }
  const tf: Record<string, unknown> = { '//': { metadata, outputs } };
  for (const e of elements) deepMerge(tf, resolve(stack, e.toTerraform()));
  deepMerge(tf, overrides);
  return tf;
}

/** As cdktf's own: every Terraform element of the stack, depth first, not descending into nested stacks. */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}

function holdsToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(holdsToken);
  if (value !== null && typeof value === 'object') return Tokenization.isResolvable(value) || Object.values(value).some(holdsToken);
  return false;
}
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
