/**
 * The validators `npm run build` writes as standalone code (lib/validators.ts) judge exactly as
 * ajv's compiled ones: same verdict, same errors, on valid documents and on broken ones; and a
 * file made from another schema is never used.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { writeValidators } from '../../cli/write-validators';
import { compile, prebuilt, specs, type ValidatorSpec } from '../../lib/validators';
import { changedEvent, createdEvent, purgedEvent, terminatedEvent } from '../events/helpers/fixture';

const REPO = resolve(__dirname, '..', '..');
let work: string;
let dir: string;

beforeAll(() => {
  // The standalone code requires ajv's runtime helpers: node_modules must be found above it.
  work = mkdtempSync(join(tmpdir(), 'ras-validators-'));
  symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'));
  dir = join(work, 'validators');
  writeValidators(dir);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const yamlOf = (file: string) => parse(readFileSync(join(REPO, file), 'utf8')) as unknown;

/** Valid documents of each validator, from the repository's own files and fixtures. */
const SAMPLES: Record<string, () => unknown[]> = {
  'tenant-contract': () => readdirSync(join(REPO, 'tenants')).filter((f) => f.endsWith('.yaml')).map((f) => yamlOf(`tenants/${f}`)),
  'fleet-settings': () => [yamlOf('fleet.yaml')],
  'contract-event': () => [createdEvent('aoba-bank', 1, 1), changedEvent('aoba-bank', 2, { labels: {} }), terminatedEvent('aoba-bank', 3, '2026-12-01'), purgedEvent('aoba-bank', 4)],
  'control-catalog': () => [JSON.parse(readFileSync(join(REPO, 'policies/catalog/controls.json'), 'utf8'))],
  suppressions: () => [yamlOf('policies/suppressions.yaml')],
};

/** A document broken in the usual ways: an unknown key, a required key missing, a string made a number deep down. */
function broken(doc: unknown): unknown[] {
  const copy = () => structuredClone(doc) as Record<string, unknown>;
  const extra = { ...copy(), bogus: true };
  const missing = copy();
  delete missing[Object.keys(missing)[0]];
  const retyped = copy();
  const firstString = (o: Record<string, unknown>): boolean => {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string') {
        o[k] = 123;
        return true;
      }
      if (typeof v === 'object' && v !== null && firstString(v as Record<string, unknown>)) return true;
    }
    return false;
  };
  return [extra, missing, ...(firstString(retyped) ? [retyped] : []), [], 'text'];
}

function judge(validate: ReturnType<typeof compile>['validate'], doc: unknown): unknown {
  const ok = validate(doc);
  return { ok, errors: validate.errors };
}

it('writes one standalone validator per spec', () => {
  expect(readdirSync(dir).sort()).toEqual(specs().map((s) => `${s.name}.js`).sort());
  expect(Object.keys(SAMPLES).sort()).toEqual(specs().map((s) => s.name).sort());
});

it.each(Object.keys(SAMPLES))('%s: the standalone code judges as ajv compiles it', (name) => {
  const spec = specs().find((s) => s.name === name) as ValidatorSpec;
  const standalone = prebuilt(spec, dir);
  expect(standalone).toBeDefined();
  const compiled = compile(spec).validate;
  const valid = SAMPLES[name]();
  expect(valid.length).toBeGreaterThan(0);
  const refused = valid.flatMap(broken);
  let failures = 0;
  for (const doc of [...valid, ...refused]) {
    const a = judge(standalone!, doc);
    expect(a).toEqual(judge(compiled, doc));
    if (!(a as { ok: boolean }).ok) failures++;
  }
  for (const doc of valid) expect(standalone!(doc)).toBe(true);
  // Every broken document was refused, with its errors compared above.
  expect(failures).toBe(refused.length);
});

it('never uses a file made from another schema or options', () => {
  const spec = specs().find((s) => s.name === 'suppressions') as ValidatorSpec;
  expect(prebuilt(spec, dir)).toBeDefined();
  expect(prebuilt({ ...spec, options: { ...spec.options, allErrors: false } }, dir)).toBeUndefined();
  expect(prebuilt({ ...spec, schema: { ...spec.schema, description: 'changed' } }, dir)).toBeUndefined();
  const other = join(work, 'other');
  mkdirSync(other);
  expect(prebuilt(spec, other)).toBeUndefined();
  writeFileSync(join(other, 'suppressions.js'), 'module.exports = () => true;\n');
  expect(prebuilt(spec, other)).toBeUndefined();
});
