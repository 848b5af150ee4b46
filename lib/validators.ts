/**
 * JSON Schema validators (ajv), compiled once by `npm run build` instead of on every run.
 *
 * ajv turns a schema into JavaScript when it compiles it: 0.03-0.1 s a schema, ~0.25 s for the
 * five a `ras build` uses, paid again by every process (a third of a one-contract incremental
 * build's start-up at 10,000 tenants). `npm run build` writes each validator as ajv's standalone
 * code into `dist/validators/<name>.js` (cli/write-validators.ts), stamped with the digest of its
 * schema, the schemas it refers to, its options and the ajv version; a run loads that file when
 * the stamp matches and compiles with ajv otherwise (under ts-jest, which has no build, or after a
 * schema changed without a build). Either way it is ajv's own code for the same schema
 * (test/lib/validators.test.ts compares their verdicts and errors).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Options, ValidateFunction } from 'ajv';

export interface ValidatorSpec {
  /** The file name in dist/validators/: letters, digits and dashes. */
  readonly name: string;
  readonly schema: object;
  readonly options: Options;
  /** Schemas the schema refers to by `$id`, added to ajv first. @default - none */
  readonly refs?: readonly object[];
}

const SPECS = new Map<string, ValidatorSpec>();

/** Where `npm run build` writes a validator's standalone code. */
export const VALIDATORS_DIR = join(__dirname, '..', 'validators');

/**
 * A validator, made when first called for (so a command that never validates never pays for it).
 * Every spec is listed for the build's writer (`specs`).
 */
export function validator(spec: ValidatorSpec): () => ValidateFunction {
  if (!/^[a-z0-9-]+$/.test(spec.name)) throw new Error(`validator name ${JSON.stringify(spec.name)}: letters, digits and dashes only`);
  if (SPECS.has(spec.name) && SPECS.get(spec.name) !== spec) throw new Error(`validator ${spec.name} is defined twice`);
  SPECS.set(spec.name, spec);
  let made: ValidateFunction | undefined;
  return () => (made ??= prebuilt(spec) ?? compile(spec).validate);
}

/** Every validator defined so far (by the modules imported). */
export function specs(): readonly ValidatorSpec[] {
  return [...SPECS.values()];
}

/** What a standalone file must be stamped with to stand for `spec`. */
export function specDigest(spec: ValidatorSpec): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  return createHash('sha256')
    .update(JSON.stringify({ ajv: ajvVersion, schema: spec.schema, refs: spec.refs ?? [], options: spec.options }))
    .digest('hex');
}

/** ajv's compiled validator; with `source`, the ajv instance keeps the code for standalone output. */
export function compile(spec: ValidatorSpec, source = false): { readonly validate: ValidateFunction; readonly ajv: import('ajv').default } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  const ajv = new Ajv({ ...spec.options, ...(source ? { code: { source: true } } : {}) });
  for (const ref of spec.refs ?? []) ajv.addSchema(ref);
  return { validate: ajv.compile(spec.schema), ajv };
}

/** The standalone module of `spec`, if the build wrote one from the same spec. */
export function prebuilt(spec: ValidatorSpec, dir = VALIDATORS_DIR): ValidateFunction | undefined {
  const file = join(dir, `${spec.name}.js`);
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { default?: ValidateFunction; specDigest?: string };
  return mod.specDigest === specDigest(spec) && typeof mod.default === 'function' ? mod.default : undefined;
}

/** A spec's standalone module: ajv's code, and the stamp `prebuilt` checks. */
export function standaloneModule(spec: ValidatorSpec): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
  const { ajv, validate } = compile(spec, true);
  return `${standaloneCode(ajv, validate)}\nmodule.exports.specDigest = ${JSON.stringify(specDigest(spec))};\n`;
}
