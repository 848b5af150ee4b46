/**
 * The synthesized Terraform JSON (cdktf.out/stacks/<tenant>/cdk.tf.json): its resources, the
 * provider's default tags and the value helpers every reader of it uses (policies/, review/,
 * reports, the drift check). Helpers here never guess: a value that is a Terraform reference
 * (`${...}`) where a literal is required is reported as such, so callers fail closed.
 */

/** cdk.tf.json as parsed. */
export interface TfJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly provider?: Readonly<Record<string, readonly unknown[]>>;
  readonly terraform?: Readonly<Record<string, unknown>>;
}

/** One resource block, with the address Terraform (and the auditor) knows it by. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, e.g. `aws_s3_bucket.LogArchive_Bucket_4CEEDFB3`. */
  readonly address: string;
  /** The block as written (cdktf's `//` metadata included). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Where the provider's default tags live in cdk.tf.json. */
export const DEFAULT_TAGS_ADDRESS = 'provider.aws[0]';
export const DEFAULT_TAGS_PATH = 'default_tags[0].tags';

/** Every resource of the stack, in the file's order. */
export function resourcesIn(tf: TfJson | undefined): TfResource[] {
  const list: TfResource[] = [];
  for (const [type, byName] of Object.entries(tf?.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) list.push({ type, name, address: `${type}.${name}`, config });
  }
  return list;
}

/** A resource's configuration without cdktf's `//` metadata (what Terraform compares). */
export function bodyOf(resource: TfResource): Record<string, unknown> {
  const { '//': _metadata, ...body } = resource.config;
  return body;
}

/** The AWS provider's settings of a stack (first `aws` provider block). */
export function awsProvider(tf: TfJson | undefined): Record<string, unknown> {
  return (tf?.provider?.aws?.[0] as Record<string, unknown> | undefined) ?? {};
}

/** The provider's default tags (string values only; Terraform allows one default_tags block). */
export function defaultTags(tf: TfJson | undefined): Record<string, string> {
  const provider = awsProvider(tf) as { default_tags?: { tags?: Record<string, unknown> }[] };
  const tags = provider.default_tags?.[0]?.tags ?? {};
  return Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** True for a value Terraform resolves only at plan/apply time. */
export function isReference(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The value at a dotted path (`root_block_device.kms_key_id`, `rule.0.filter`), single-element lists unwrapped where Terraform allows either. */
export function valueAt(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current) && !/^\d+$/.test(key)) current = current.length === 1 ? current[0] : undefined;
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A block Terraform accepts as an object or a one-element list, as an object (undefined when absent or ambiguous). */
export function block(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A list-of-blocks attribute as a list (a single object counts as one). */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
}

export function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Resource named by a `${type.name.attr}` reference, if the reference points into this stack. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}/.exec(value);
  return m?.[1];
}

/** `${aws_vpc.Network_Vpc_1234.id}` → [{ address: 'aws_vpc.Network_Vpc_1234', attribute: 'id' }]. */
const REFERENCE = /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)/g;

/** Every resource reference in a text, in order. */
export function referencesIn(text: string): { address: string; attribute: string }[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({ address: m[1], attribute: m[2] }));
}

/** Parses an IAM/bucket policy document held as a JSON string. */
export function policyStatements(policy: unknown): Record<string, unknown>[] | undefined {
  if (typeof policy !== 'string') return undefined;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    return blocks(doc.Statement);
  } catch {
    return undefined;
  }
}

/** A statement that denies requests made without TLS (Deny when `aws:SecureTransport` is false). */
export function deniesWithoutTls(statement: Record<string, unknown>): boolean {
  const secure = block(block(statement.Condition)?.Bool)?.['aws:SecureTransport'];
  return statement.Effect === 'Deny' && (secure === false || secure === 'false');
}

/** The default encryption (sse_algorithm, kms_master_key_id) of an aws_s3_bucket_server_side_encryption_configuration. */
export function sseDefault(config: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  return block(blocks(config.rule)[0]?.apply_server_side_encryption_by_default);
}

/** Every disk of an aws_instance with its path (root first, then EBS volumes). */
export function instanceDisks(config: Readonly<Record<string, unknown>>): { readonly path: string; readonly disk?: Record<string, unknown> }[] {
  return [{ path: 'root_block_device', disk: block(config.root_block_device) }, ...blocks(config.ebs_block_device).map((d, i) => ({ path: `ebs_block_device[${i}]`, disk: d }))];
}
