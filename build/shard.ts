/**
 * What one shard of the fleet does in `ras build`, on whichever thread holds it (parallel/ops.ts):
 *   1. synthAndRead: synthesize its tenants, read their output back as the rules see it, and
 *      return what each claims on the shared network (all the other shards need to know of it);
 *   2. judge: given the whole fleet's claims, evaluate its tenants and write their reports,
 *      returning only the verdicts (no evidence) for the check output and the fleet page.
 * The parsed output stays in the shard's session between the two, never copied between threads.
 */
import type { FleetModel } from '../contract/model';
import { claimsOf, fleetIndex, type TenantClaims } from '../policies/address-space';
import { evaluateTenant, verdictOf, type TenantVerdict } from '../policies/evaluate';
import { readStackViews } from '../policies/inputs/read';
import type { Suppression } from '../policies/suppressions';
import type { TenantView } from '../policies/types';
import { writeTenantReport } from '../report/write';
import type { Session } from '../parallel/ops';
import { pick } from '../stacks/shards';
import { synthSerial } from '../stacks/synth';

const VIEWS = 'build:views';

export interface SynthArgs {
  readonly fleet: FleetModel;
  /** The shard's own output folder. */
  readonly outdir: string;
  readonly ids: readonly string[];
  readonly rolesDir: string;
}

export function synthAndRead(args: SynthArgs, session: Session): TenantClaims[] {
  synthSerial(args.fleet, args.outdir, pick(args.fleet, args.ids));
  const views = readStackViews(args.outdir, args.ids, { rolesDir: args.rolesDir });
  session.set(VIEWS, views);
  return views.map(claimsOf);
}

export interface JudgeArgs {
  /** Every tenant's claims, in name order. */
  readonly claims: readonly TenantClaims[];
  readonly suppressions: readonly Suppression[];
  readonly reportsDir: string;
  readonly generatedAt: string;
}

export interface ShardVerdicts {
  readonly verdicts: TenantVerdict[];
  /** Positions in `suppressions` of those that covered a finding here. */
  readonly used: number[];
}

export function judge(args: JudgeArgs, session: Session): ShardVerdicts {
  const views = session.get(VIEWS) as TenantView[] | undefined;
  if (views === undefined) throw new Error('judge before synthAndRead in this shard');
  session.delete(VIEWS);
  const index = fleetIndex(args.claims);
  const used = new Set<Suppression>();
  const verdicts = views.map((view) => {
    const t = evaluateTenant(view, index, args.suppressions, used);
    // A suppression only covers findings of its own tenant, so whether it was used is known here.
    const own = args.suppressions.filter((s) => s.tenant === t.tenant);
    writeTenantReport(t, { suppressions: own, unusedSuppressions: own.filter((s) => !used.has(s)) }, args.reportsDir, args.generatedAt);
    return verdictOf(t);
  });
  return { verdicts, used: args.suppressions.flatMap((s, i) => (used.has(s) ? [i] : [])) };
}
