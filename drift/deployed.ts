/**
 * What is deployed, in the shape of synthesized output: a tenant's Terraform state (`terraform
 * show -json` of a state, or of a refresh-only plan, whose prior_state is the refreshed state)
 * turned into a cdk.tf.json-like document, so the same rules that judge the intent judge what
 * AWS holds. Provider and backend settings are the intent's (state does not hold them).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TfJson } from '../output/terraform';

export class DeployedStateError extends Error {}

interface StateResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

/** The managed resources of the root module in a `terraform show -json` document. */
export function stateResources(doc: unknown, file: string): StateResource[] {
  const d = doc as { values?: { root_module?: { resources?: StateResource[] } }; prior_state?: { values?: { root_module?: { resources?: StateResource[] } } } };
  const root = d.prior_state?.values?.root_module ?? d.values?.root_module;
  if (root === undefined) throw new DeployedStateError(`${file}: not the output of \`terraform show -json\` of a state or plan (no values.root_module)`);
  return (root.resources ?? []).filter((r) => r.mode === 'managed');
}

export function readStateFile(file: string): StateResource[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeployedStateError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return stateResources(JSON.parse(text), file);
  } catch (e) {
    if (e instanceof DeployedStateError) throw e;
    throw new DeployedStateError(`${file}: not JSON (${(e as Error).message})`);
  }
}

/**
 * The deployed resources as a Terraform JSON document, with the intent's provider and settings.
 * State holds resolved ids where the configuration held references (`${aws_s3_bucket.X.id}`);
 * the rules link resources by those references (the lifecycle rules of *this* bucket), so where
 * the intent writes a reference the deployed document keeps it. A value the provider keeps as a
 * SHA-1 (user_data) is the intent's text when the hash matches; attributes state holds empty
 * (null, [], {}) and the intent does not write are left out, as they are in configuration.
 */
export function deployedTf(intent: TfJson, resources: readonly StateResource[]): TfJson {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const r of resources) {
    const declared = (intent.resource?.[r.type]?.[r.name] ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.values)) {
      if (!(k in declared) && empty(v)) continue;
      values[k] = k in declared ? relink(declared[k], v) : v;
    }
    (resource[r.type] ??= {})[r.name] = values;
  }
  return { ...intent, resource } as TfJson;
}

function relink(declared: unknown, deployed: unknown): unknown {
  if (typeof declared === 'string') {
    if (declared.includes('${')) return declared;
    if (typeof deployed === 'string' && /^[0-9a-f]{40}$/.test(deployed) && createHash('sha1').update(declared).digest('hex') === deployed) return declared;
    return deployed;
  }
  if (Array.isArray(declared) && Array.isArray(deployed)) return deployed.map((v, i) => relink(declared[i], v));
  if (isMap(declared) && Array.isArray(deployed) && deployed.length === 1) return [relink(declared, deployed[0])];
  if (isMap(declared) && isMap(deployed)) {
    // Inside a block, what the intent does not write and state holds at the provider's zero value
    // ("", 0, false: `days = 0` beside `expired_object_delete_marker`) is left out.
    return Object.fromEntries(
      Object.entries(deployed)
        .filter(([k, v]) => k in declared || !(empty(v) || v === '' || v === 0 || v === false))
        .map(([k, v]) => [k, k in declared ? relink(declared[k], v) : v]),
    );
  }
  return deployed;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function empty(v: unknown): boolean {
  return v === null || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);
}
