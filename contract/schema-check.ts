/** JSON Schema validation (ajv) of parsed files, reported as located problems. */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import fleetSchema from './schema/fleet.schema.json';
import tenantSchema from './schema/tenant.schema.json';
import { fieldName, type Problem } from './problems';
import type { SourceFile } from './source';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
// `default` in the schema documents the behaviour for editors; defaults are applied by the model, not here.
const validators: Record<'tenant' | 'fleet', ValidateFunction> = {
  tenant: ajv.compile(tenantSchema),
  fleet: ajv.compile(fleetSchema),
};

export function checkSchema(kind: 'tenant' | 'fleet', source: SourceFile): Problem[] {
  const validate = validators[kind];
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
      return source.problem('RAS010', path, `${JSON.stringify(value)} is not valid: ${describe(e)}`);
    default:
      return source.problem('RAS010', path, `${e.message ?? 'is invalid'}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`);
  }
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
