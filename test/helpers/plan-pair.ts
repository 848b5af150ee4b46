/**
 * Real Terraform plans of a head configuration against the state a base configuration would
 * leave, made offline. `terraform apply` cannot run here (no AWS), so the state is built:
 *
 * 1. plan the base stack against an empty state (all create) and read the plan document;
 * 2. write a state (format 4) holding each resource's planned values, with a placeholder for
 *    every value only known after apply (ids, ARNs: ARN-shaped, since the provider validates them);
 * 3. plan the base again against that state with `-refresh=false`: values that referenced a
 *    placeholder now resolve, so take the planned values of whatever still changes into the state;
 * 4. repeat until the base plans as no change at all: the state is exactly what base would leave.
 *
 * Planning head against that state (again `-refresh=false`) gives Terraform's own actions,
 * `replace_paths` and `action_reason`. What this cannot show: anything AWS would report on refresh
 * (drift) or refuse at apply time. `user_data` is left null: the provider stores a hash of it, and
 * a placeholder would never converge.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareOffline, terraform, type TerraformToolchain } from './terraform';

type Json = any;
const PROVIDER = 'registry.terraform.io/hashicorp/aws';
const LEFT_NULL = new Set(['user_data', 'user_data_base64']);

export interface BaseState {
  readonly dir: string;
  /** Passes it took until base planned as no change. */
  readonly passes: number;
}

async function planJson(tf: TerraformToolchain, dir: string, extra: string[] = []): Promise<Json> {
  const p = await terraform(tf, dir, ['plan', '-input=false', '-no-color', '-out=plan.bin', ...extra]);
  if (p.exitCode !== 0) throw new Error(`terraform plan failed in ${dir}:\n${p.stderr}\n${p.stdout.slice(-3000)}`);
  const show = await terraform(tf, dir, ['show', '-json', 'plan.bin']);
  return JSON.parse(show.stdout);
}

/** Initialises the base stack offline and builds the state it would leave. */
export async function buildBaseState(tf: TerraformToolchain, baseStackJson: string, maxPasses = 8): Promise<BaseState> {
  const dir = prepareOffline(baseStackJson, tf);
  const init = await terraform(tf, dir, ['init', '-input=false', '-no-color']);
  if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
  const schemaOut = await terraform(tf, dir, ['providers', 'schema', '-json']);
  const providers: Json = JSON.parse(schemaOut.stdout).provider_schemas;
  // terraform_data (the Ansible hand-off) comes from Terraform's built-in provider.
  const schemas: Json = Object.assign({}, ...Object.values<Json>(providers).map((p) => p.resource_schemas ?? {}));
  const providerOf = new Map<string, string>();
  const state = new Map<string, Json>();
  let plan = await planJson(tf, dir);
  for (let pass = 1; pass <= maxPasses; pass++) {
    const changing = (plan.resource_changes as Json[]).filter((rc) => rc.change.actions.join() !== 'no-op');
    if (changing.length === 0) return { dir, passes: pass - 1 };
    for (const rc of changing) {
      providerOf.set(rc.address, rc.provider_name);
      const schema = schemas[rc.type];
      const after = fill(structuredClone(rc.change.after), rc.change.after_unknown, schema.block, [rc.name]);
      const prev = state.get(rc.address);
      state.set(rc.address, prev === undefined ? after : keepPlaceholders(after, rc.change.after_unknown, prev));
    }
    writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify(stateDocument(state, schemas, providerOf, pass)));
    plan = await planJson(tf, dir, ['-refresh=false']);
  }
  throw new Error(`the base state did not converge in ${maxPasses} passes`);
}

/** Terraform's plan document for `headStackJson` against the base state. */
export async function planAgainst(tf: TerraformToolchain, base: BaseState, headStackJson: string): Promise<Json> {
  const dir = prepareOffline(headStackJson, tf);
  // Reuse the initialised provider and the built state.
  for (const f of ['terraform.tfstate', '.terraform.lock.hcl']) writeFileSync(join(dir, f), readFileSync(join(base.dir, f)));
  const init = await terraform(tf, dir, ['init', '-input=false', '-no-color']);
  if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
  return planJson(tf, dir, ['-refresh=false']);
}

export function writePlan(plan: Json, name: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ras-plan-')), `${name}.json`);
  writeFileSync(file, JSON.stringify(plan));
  return file;
}

function placeholder(type: Json, path: (string | number)[]): unknown {
  const name = String(path[path.length - 1]);
  if (type === 'string') {
    if (name === 'arn' || name.endsWith('_arn')) return `arn:aws:fake:ap-northeast-1:111122223333:placeholder/${path.join('/')}`;
    return `placeholder-${path.join('-')}`;
  }
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) return type[0] === 'map' || type[0] === 'object' ? {} : [];
  return null;
}

/** Every schema attribute present (null when unset), unknowns replaced by placeholders. */
function fill(value: Json, unknown: Json, block: Json, path: (string | number)[]): Json {
  for (const [name, attr] of Object.entries<Json>(block.attributes ?? {})) {
    if (attr.type === 'dynamic') {
      // A dynamically typed value (terraform_data's triggers_replace) is stored with its type.
      const v = fillUnknown(value[name], unknown?.[name], [...path, name]);
      value[name] = v === null || v === undefined ? null : { value: v, type: ctyType(v) };
    } else if (unknown?.[name] === true) value[name] = LEFT_NULL.has(name) ? null : placeholder(attr.type, [...path, name]);
    else if (!(name in value)) value[name] = null;
  }
  for (const [name, nested] of Object.entries<Json>(block.block_types ?? {})) {
    const v = value[name];
    const u = unknown?.[name];
    if (v === undefined || v === null) {
      value[name] = nested.nesting_mode === 'list' || nested.nesting_mode === 'set' ? [] : null;
    } else if (Array.isArray(v)) {
      v.forEach((item: Json, i: number) => fill(item, Array.isArray(u) ? u[i] : {}, nested.block, [...path, name, i]));
    } else {
      fill(v, u ?? {}, nested.block, [...path, name]);
    }
  }
  return value;
}

/** Planned values, except where still unknown: there the earlier placeholder stays. */
function keepPlaceholders(after: Json, unknown: Json, prev: Json): Json {
  if (unknown === true) return prev;
  if (Array.isArray(after) && Array.isArray(unknown) && Array.isArray(prev)) return after.map((a, i) => keepPlaceholders(a, unknown[i], prev[i]));
  if (after !== null && typeof after === 'object' && unknown !== null && typeof unknown === 'object' && prev !== null && typeof prev === 'object' && !Array.isArray(after)) {
    return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, keepPlaceholders(v, unknown[k], prev[k])]));
  }
  return after;
}

function stateDocument(state: Map<string, Json>, schemas: Json, providerOf: Map<string, string>, serial: number): Json {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage: '00000000-0000-4000-8000-000000000000',
    outputs: {},
    resources: [...state].map(([address, attributes]) => {
      const type = address.slice(0, address.indexOf('.'));
      const name = address.slice(address.indexOf('.') + 1);
      return {
        mode: 'managed',
        type,
        name,
        provider: `provider["${providerOf.get(address) ?? PROVIDER}"]`,
        instances: [{ schema_version: schemas[type].version, attributes: { ...attributes, id: attributes.id ?? `placeholder-${name}` }, sensitive_attributes: [], dependencies: [] }],
      };
    }),
  };
}

/** Unknown leaves of a dynamic value become string placeholders (the hand-off's triggers are strings). */
function fillUnknown(value: Json, unknown: Json, path: (string | number)[]): Json {
  if (unknown === true) return `placeholder-${path.join('-')}`;
  if (unknown !== null && typeof unknown === 'object') {
    const out: Json = Array.isArray(value) ? [...value] : { ...(value ?? {}) };
    for (const [k, u] of Object.entries(unknown)) out[k] = fillUnknown(value?.[k], u, [...path, k]);
    return out;
  }
  return value;
}

function ctyType(v: Json): Json {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(ctyType)];
  return ['object', Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ctyType(x)]))];
}
