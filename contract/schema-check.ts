/** JSON Schema validation (ajv) of parsed files, reported as located problems. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validator } from '../lib/validators';
import fleetSchema from './schema/fleet.schema.json';
import tenantSchema from './schema/tenant.schema.json';
import { fieldName, visible, type Problem } from './problems';
import type { SourceFile } from './source';

// `default` in the schema documents the behaviour for editors; defaults are applied by the model, not here.
const OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true };
const validators: Record<'tenant' | 'fleet', () => ValidateFunction> = {
  tenant: validator({ name: 'tenant-contract', schema: tenantSchema, options: OPTIONS }),
  fleet: validator({ name: 'fleet-settings', schema: fleetSchema, options: OPTIONS }),
};

export function checkSchema(kind: 'tenant' | 'fleet', source: SourceFile): Problem[] {
  const validate = validators[kind]();
  if (validate(source.data)) return [];
  return dedupe((validate.errors ?? []).filter((e) => !isNoise(e)).map((e) => toProblem(e, source)));
}

function toProblem(e: ErrorObject, source: SourceFile): Problem {
  const path: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.propertyName !== undefined) {
    return source.problem('RAS010', [...path, e.propertyName], `key ${JSON.stringify(e.propertyName)} is not valid: ${describe(e)}`);
  }
  const value = valueAt(source.data, path);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { ...source.problem('RAS010', path, ''), field: fieldName([...path, missing]), message: `is required but missing` };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return source.problem('RAS010', [...path, extra], `is not a known field (check the spelling; see contract/schema)`);
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return source.problem('RAS010', path, `${JSON.stringify(value)} is not allowed (expected one of ${allowed})`);
    }
    case 'pattern':
      return source.problem('RAS010', path, `${shown(value)} is not valid${offending(value, (e.params as { pattern: string }).pattern)}: ${describe(e)}`);
    default:
      return source.problem('RAS010', path, `${e.message ?? 'is invalid'}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`);
  }
}

function shown(value: unknown): string {
  return visible(JSON.stringify(value));
}

const KINDS: readonly [RegExp, string][] = [
  [/[\u0085\u2028\u2029]/u, 'a line break for YAML 1.1, which Ansible reads'],
  [/\p{Cc}/u, 'a control character'],
  [/\p{Cf}/u, 'an invisible format character'],
  [/[\p{Zl}\p{Zp}]/u, 'a line or paragraph separator'],
  [/\p{Cs}/u, 'half of a surrogate pair'],
  [/\p{Co}/u, 'a private-use character'],
  [/\p{Cn}/u, 'an unassigned code point'],
];

/** Names the first character a `^[...]*$` pattern refuses, so the person can find it in their text. */
function offending(value: unknown, pattern: string): string {
  if (typeof value !== 'string' || !/^\^\[.*\]\*\$$/s.test(pattern)) return '';
  const one = new RegExp(`^${pattern.slice(1, -2)}$`, 'u');
  for (const ch of value) {
    if (one.test(ch)) continue;
    const cp = (ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    const kind = KINDS.find(([re]) => re.test(ch))?.[1];
    return ` (U+${cp}${kind === undefined ? ` '${ch}'` : `, ${kind}`}, is not allowed)`;
  }
  return '';
}

/** The schema's own description of what is allowed, else ajv's wording. */
function describe(e: ErrorObject): string {
  const schema = e.parentSchema as { description?: string } | undefined;
  return schema?.description ?? e.message ?? 'is invalid';
}

/** `propertyNames` repeats the located error that carries `propertyName`. */
function isNoise(e: ErrorObject): boolean {
  return e.keyword === 'propertyNames';
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.field}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
