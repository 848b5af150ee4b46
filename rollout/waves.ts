/**
 * Waves of a rollout (`ras rollout`), from plan review's result (review/): which tenants a change
 * reaches, and in what order it is applied to them.
 *
 *   - A tenant whose change carries a risk flag (a crypto weakening, a widened ingress, a
 *     replacement, ...) is held: it gets no wave of its own until someone approves it (the
 *     `held` list; the workflow puts it behind an environment gate of its own, last).
 *   - The others go canary first (a small wave), then in waves growing by `growth` (x2 by
 *     default) up to `maxWave`; each wave runs at most `parallel` tenants at a time.
 *   - Tenants keep the review's order inside the plan (risky first there, so name order here:
 *     the same plan from the same review on every machine).
 * The waves are applied one after the other; the first failing wave stops the rollout
 * (rollout/run.ts locally, the workflow's `needs:` chain in CI).
 */
import type { Review } from '../review/types';

export interface WaveOptions {
  /** Tenants in the canary wave. @default 1 */
  readonly canary?: number;
  /** Each wave after the canary is this many times the previous one. @default 2 */
  readonly growth?: number;
  /** No wave larger than this. @default 50 */
  readonly maxWave?: number;
  /** Tenants of one wave applied at the same time (the workflow's max-parallel). @default 5 */
  readonly parallel?: number;
}

export interface Wave {
  /** 1-based; wave 1 is the canary. */
  readonly index: number;
  readonly tenants: readonly string[];
}

export interface RolloutPlan {
  readonly base: string;
  readonly head: string;
  readonly parallel: number;
  readonly waves: readonly Wave[];
  /** Tenants with a risk flag: applied only after an approval, each with why. */
  readonly held: readonly { readonly tenant: string; readonly risks: readonly string[] }[];
}

/** Options that are not whole numbers >= 1 (growth >= 1). */
export class WaveOptionError extends Error {}

function whole(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new WaveOptionError(`${name} must be a whole number >= 1 (got ${value})`);
  return value;
}

export function planWaves(review: Review, options: WaveOptions = {}): RolloutPlan {
  const canary = whole('canary', options.canary ?? 1);
  const maxWave = whole('max-wave', options.maxWave ?? 50);
  const parallel = whole('parallel', options.parallel ?? 5);
  const growth = options.growth ?? 2;
  if (!(Number.isFinite(growth) && growth >= 1)) throw new WaveOptionError(`growth must be a number >= 1 (got ${growth})`);
  const byName = [...review.tenants].sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  const held = byName.filter((t) => t.risks.length > 0).map((t) => ({ tenant: t.tenant, risks: [...new Set(t.risks.map((r) => r.code))] }));
  const ready = byName.filter((t) => t.risks.length === 0).map((t) => t.tenant);
  const waves: Wave[] = [];
  let size = Math.min(canary, maxWave);
  for (let at = 0; at < ready.length; ) {
    waves.push({ index: waves.length + 1, tenants: ready.slice(at, at + size) });
    at += size;
    size = Math.min(maxWave, Math.ceil(size * growth));
  }
  return { base: review.base, head: review.head, parallel, waves, held };
}
