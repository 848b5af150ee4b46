/**
 * Suppressions: exceptions declared in policies/suppressions.yaml where reviewers see them. Each
 * names one rule, one tenant and one resource exactly, with a written reason; there is no
 * wildcard and no blanket form. They are shown in every report, and an unused one is reported.
 */
import { SuppressionError } from './errors';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import schema from './suppressions.schema.json';
import { validator } from '../lib/validators';

export const DEFAULT_SUPPRESSIONS_FILE = 'policies/suppressions.yaml';

export interface Suppression {
  readonly rule: string;
  readonly tenant: string;
  readonly resource: string;
  readonly reason: string;
}

export { SuppressionError };

const suppressionsValidator = validator({ name: 'suppressions', schema, options: { allErrors: true, strict: true } });

/** Checks a parsed suppressions document; `ruleIds` are the rules that exist. Returns every problem. */
export function checkSuppressions(data: unknown, ruleIds: readonly string[]): { suppressions: Suppression[]; problems: string[] } {
  const validate = suppressionsValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => {
      const s = e.parentSchema as { description?: string } | undefined;
      return `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}${s?.description !== undefined ? ` (${s.description})` : ''}`;
    });
    return { suppressions: [], problems };
  }
  const suppressions = (data as { suppressions: Suppression[] }).suppressions;
  const problems: string[] = [];
  suppressions.forEach((s, i) => {
    if (!ruleIds.includes(s.rule)) problems.push(`/suppressions/${i}/rule: ${s.rule} is not a rule of the pack`);
    const dup = suppressions.findIndex((o) => o.rule === s.rule && o.tenant === s.tenant && o.resource === s.resource);
    if (dup !== i) problems.push(`/suppressions/${i}: same rule, tenant and resource as /suppressions/${dup}`);
  });
  return { suppressions, problems };
}

/** Reads the file (absent means none declared); throws SuppressionError listing every problem. */
export function loadSuppressions(file: string, ruleIds: readonly string[]): Suppression[] {
  if (!existsSync(file)) return [];
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8')) ?? { suppressions: [] };
  } catch (e) {
    throw new SuppressionError(`${file}: not valid YAML (${(e as Error).message})`);
  }
  const { suppressions, problems } = checkSuppressions(data, ruleIds);
  if (problems.length > 0) throw new SuppressionError(`${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return suppressions;
}
