/**
 * The whole check as one function (the CLI and the tests call it): synthesize the fleet (or
 * read what was synthesized), read each stack's output, load the suppressions, evaluate.
 */
import { NothingToCheckError } from '../policies/errors';
import { join } from 'node:path';
import type { ContractPaths } from '../contract/load';
import { endPhase, startPhase } from '../lib/progress';
import { writeFleetOutputs } from './fleet-outputs';
import { synthTenants, UnknownTenantError } from '../stacks/synth';
import { evaluateFleet, type FleetEvaluation } from '../policies/evaluate';
import { readFleetViews } from '../policies/inputs/read';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions } from '../policies/suppressions';
import { defaultRolesDir } from '../lib/product-roles';

export interface CheckOptions {
  /** Contracts to synthesize from. @default DEFAULT_PATHS */
  readonly paths?: ContractPaths;
  /** Synthesized output folder. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Synthesize first (true) or judge the output already there (false). @default true */
  readonly synth?: boolean;
  /** @default DEFAULT_SUPPRESSIONS_FILE */
  readonly suppressionsFile?: string;
  /** Ansible roles whose defaults underlie the rendered variables. @default defaultRolesDir() (lib/product-roles.ts) */
  readonly rolesDir?: string;
  /** Tenants to report on; the whole fleet is always evaluated, since isolation is fleet-wide. @default - all */
  readonly only?: readonly string[];
}

export { NothingToCheckError };

export function checkFleet(options: CheckOptions = {}): FleetEvaluation {
  const outdir = options.outdir ?? 'cdktf.out';
  // Every stack is synthesized even for one tenant: the isolation rules compare it with all others.
  if (options.synth ?? true) synthTenants({ paths: options.paths, outdir, fleetOutputs: (dir, fleet, only) => writeFleetOutputs(dir, fleet, { rolesDir: options.rolesDir, only }) });
  startPhase('reading the synthesized output');
  const views = readFleetViews(outdir, { rolesDir: options.rolesDir ?? defaultRolesDir() });
  if (views.length === 0) throw new NothingToCheckError(`no synthesized stacks under ${join(outdir, 'stacks')} (run ras synth, or drop --no-synth)`);
  const unknown = (options.only ?? []).filter((id) => !views.some((v) => v.stackId === id));
  if (unknown.length > 0) throw new UnknownTenantError(`unknown tenant(s): ${unknown.join(', ')}`);
  const suppressions = loadSuppressions(options.suppressionsFile ?? DEFAULT_SUPPRESSIONS_FILE, ISO27017_PACK.map((e) => e.id));
  startPhase('evaluating the rules');
  const evaluation = evaluateFleet(views, suppressions);
  endPhase();
  if (options.only === undefined) return evaluation;
  return { ...evaluation, tenants: evaluation.tenants.filter((t) => options.only?.includes(t.tenant)) };
}
