/**
 * `--states DIR` of ras report and ras evidence: the deployed state read as `ras drift` reads it,
 * for every tenant with a state file, to be shown beside the intended configuration.
 */
import { join } from 'node:path';
import { driftFleet } from '../drift';
import { defaultRolesDir } from '../lib/product-roles';
import { DEFAULT_SUPPRESSIONS_FILE } from '../policies/suppressions';
import type { DeployedReading } from '../report/document';
import { single, type ParsedArgs } from './args';

export function deployedReadings(args: ParsedArgs, outdir: string): ReadonlyMap<string, DeployedReading> {
  const states = single(args, 'states');
  if (states === undefined) return new Map();
  const drifts = driftFleet({ outdir, statesDir: states, rolesDir: defaultRolesDir(), suppressionsFile: single(args, 'suppressions') ?? DEFAULT_SUPPRESSIONS_FILE });
  return new Map(drifts.map((d) => [d.tenant, { source: join(states, `${d.tenant}.json`), differences: d.differences, evaluation: d.evaluation }]));
}
