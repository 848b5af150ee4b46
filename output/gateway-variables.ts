/**
 * The gateway variables rendered for Ansible (cdktf.out/stacks/<tenant>/ansible/: inventory.yml,
 * group_vars/, host_vars/), as the rules need them. Ansible's precedence is followed: role
 * defaults, then group_vars, then host_vars. Every field is optional: a variable that was not
 * rendered is absent here, and the rule that needs it reports that (fail closed).
 *
 * The files are read here and nowhere else (readGatewayLayers), each as Ansible reads it
 * (lib/ansible-yaml/read.ts): the compliance rules take the typed view (gatewayVariables), plan
 * review the merged variables (mergedVariables), both from the same layers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { GATEWAY_VARIABLE_NAMES } from '../commitments';
import { readAnsibleYaml } from '../lib/ansible-yaml/read';
import { DEVICE_PKI_VARIABLE } from '../lib/device-records';

export interface GatewayVariables {
  /** The rendered files read, for the report. */
  readonly files: readonly string[];
  /** Files Ansible would read differently from any judgement made here (or not load at all), with why. */
  readonly unreadable: readonly { readonly file: string; readonly reason: string }[];
  /** For each variable, the file whose value won (evidence points there). */
  readonly origin: Readonly<Record<string, string>>;
  /** `ras_gateway_type`: B for the HTTP(S) relay; A when absent (ansible/site.yml's default). */
  readonly gatewayType: string;
  readonly cryptoProfile?: string;
  readonly legacyOptIn?: boolean;
  /** The contract's record of the opt-in (ras_tenant.legacy_crypto_opt_in), when rendered and well-formed. */
  readonly legacyOptInRecord?: { readonly approvedBy: string; readonly approvedOn?: string; readonly reason: string; readonly file: string };
  readonly protocols: { readonly ikev2?: boolean; readonly l2tpIpsec?: boolean; readonly pptp?: boolean };
  /** Every IKE/ESP proposal of the selected profile, when the profile's proposals are known. */
  readonly proposals?: readonly string[];
  /** The selected profile's proposal lists by name (e.g. ikev2_proposals), in order: order is part of the profile. */
  readonly proposalLists?: Readonly<Record<string, readonly string[]>>;
  readonly timezone?: string;
  readonly ntpServers?: readonly string[];
  /** Operator work logging (12.4.3): the provider's stream, what feeds it, the audit packages. */
  readonly operatorWork: {
    readonly stream?: { readonly id?: string; readonly prefix?: string };
    readonly dir?: string;
    readonly sources?: readonly string[];
    readonly packages?: readonly string[];
  };
  /** The tenant's device PKI as rendered (absent: the tenant has none); fields not of the expected type are absent. */
  readonly devicePki?: DevicePkiVariables;
}

/** `strongswan_device_pki`: what the gateway trusts, the CRL it loads, and how it ends revoked sessions. */
export interface DevicePkiVariables {
  readonly tenantCa?: string;
  readonly rootCa?: string;
  readonly crl?: string;
  readonly crlNumber?: number;
  readonly crlNextUpdate?: string;
  readonly terminateBlockedSessions?: boolean;
  readonly reauthTime?: string;
  readonly devices?: number;
  readonly active?: number;
  readonly suspended?: number;
  readonly revoked?: number;
  readonly blocked?: readonly { readonly serial: string; readonly identity: string; readonly status: string }[];
}

export { DEVICE_PKI_VARIABLE };

/** One file's variables, in precedence order (lowest first). */
export interface VariableLayer {
  readonly file: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Why the file cannot be judged as Ansible reads it (then `vars` is empty). */
  readonly unreadable?: string;
}

/** Variable names: commitments/gateway.ts's, the same the renderer writes and the roles read. */
export { GATEWAY_VARIABLE_NAMES };

/** The variables in effect, with the file each came from (the last layer naming it wins). */
export function mergedVariables(layers: readonly VariableLayer[]): { readonly merged: Record<string, unknown>; readonly origin: Record<string, string> } {
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer.vars)) {
      merged[k] = v;
      origin[k] = layer.file;
    }
  }
  return { merged, origin };
}

export function gatewayVariables(layers: readonly VariableLayer[]): GatewayVariables {
  const { merged, origin } = mergedVariables(layers);
  const n = GATEWAY_VARIABLE_NAMES;
  const profile = typeof merged[n.cryptoProfile] === 'string' ? (merged[n.cryptoProfile] as string) : undefined;
  return {
    files: layers.map((l) => l.file),
    unreadable: layers.flatMap((l) => (l.unreadable === undefined ? [] : [{ file: l.file, reason: l.unreadable }])),
    origin,
    gatewayType: typeof merged.ras_gateway_type === 'string' ? merged.ras_gateway_type : 'A',
    cryptoProfile: profile,
    legacyOptIn: bool(merged[n.legacyOptIn]),
    legacyOptInRecord: optInRecord(merged.ras_tenant, origin.ras_tenant),
    protocols: { ikev2: bool(merged[n.ikev2]), l2tpIpsec: bool(merged[n.l2tpIpsec]), pptp: bool(merged[n.pptp]) },
    proposals: profile === undefined ? undefined : proposalsOf(merged[n.profiles], profile),
    proposalLists: profile === undefined ? undefined : proposalListsOf(merged[n.profiles], profile),
    timezone: typeof merged[n.timezone] === 'string' ? (merged[n.timezone] as string) : undefined,
    ntpServers: stringList(merged[n.ntpServers]),
    operatorWork: {
      stream: streamOf(merged[n.operatorStream]),
      dir: typeof merged[n.operatorDir] === 'string' ? (merged[n.operatorDir] as string) : undefined,
      sources: stringList(merged[n.operatorSources]),
      packages: stringList(merged[n.hardeningPackages]),
    },
    devicePki: devicePkiOf(merged[DEVICE_PKI_VARIABLE]),
  };
}

function devicePkiOf(v: unknown): DevicePkiVariables | undefined {
  // The role's default is {}: no device PKI. Anything else is judged field by field.
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0) return undefined;
  const d = v as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
  const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const blocked = Array.isArray(d.blocked)
    ? d.blocked.flatMap((b: unknown) => {
        const r = b as Record<string, unknown> | null;
        return r !== null && typeof r === 'object' && typeof r.serial === 'string' && typeof r.identity === 'string' && typeof r.status === 'string'
          ? [{ serial: r.serial, identity: r.identity, status: r.status }]
          : [];
      })
    : undefined;
  return {
    tenantCa: str(d.tenant_ca),
    rootCa: str(d.root_ca),
    crl: str(d.crl),
    crlNumber: num(d.crl_number),
    crlNextUpdate: str(d.crl_next_update),
    terminateBlockedSessions: bool(d.terminate_blocked_sessions),
    reauthTime: str(d.reauth_time),
    devices: num(d.devices),
    active: num(d.active),
    suspended: num(d.suspended),
    revoked: num(d.revoked),
    blocked,
  };
}

function optInRecord(tenant: unknown, file: string | undefined): GatewayVariables['legacyOptInRecord'] {
  const record = tenant !== null && typeof tenant === 'object' ? (tenant as Record<string, unknown>).legacy_crypto_opt_in : undefined;
  if (record === null || typeof record !== 'object' || file === undefined) return undefined;
  const { approved_by: by, approved_on: on, reason } = record as Record<string, unknown>;
  if (typeof by !== 'string' || typeof reason !== 'string') return undefined;
  return { approvedBy: by, approvedOn: typeof on === 'string' ? on : undefined, reason, file };
}

function streamOf(v: unknown): { id?: string; prefix?: string } | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return { id: typeof o.id === 'string' ? o.id : undefined, prefix: typeof o.prefix === 'string' ? o.prefix : undefined };
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** The proposal lists of one profile, by name, each in its order. */
function proposalListsOf(profiles: unknown, profile: string): Record<string, string[]> | undefined {
  if (profiles === null || typeof profiles !== 'object') return undefined;
  const p = (profiles as Record<string, unknown>)[profile];
  if (p === null || typeof p !== 'object') return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(p as Record<string, unknown>)) {
    const items = stringList(list);
    if (items !== undefined) out[name] = items;
  }
  return out;
}

/** All proposal strings of one profile (IKE and ESP, IKEv2 and IKEv1). */
export function proposalsOf(profiles: unknown, profile: string): string[] | undefined {
  if (profiles === null || typeof profiles !== 'object') return undefined;
  const p = (profiles as Record<string, unknown>)[profile];
  if (p === null || typeof p !== 'object') return undefined;
  return Object.values(p as Record<string, unknown>).flatMap((list) => stringList(list) ?? []);
}

/**
 * Role defaults (`<role>/defaults/main.yml`), read once and shared by every stack of a fleet (layers are never mutated).
 * Each is named from the roles folder's own name down (`ansible/roles/<role>/defaults/main.yml`), never by where this
 * checkout happens to sit, so that evidence naming it reads the same on every machine.
 */
export function roleDefaults(rolesDir: string | undefined): VariableLayer[] {
  if (rolesDir === undefined || !existsSync(rolesDir)) return [];
  const shown = join(basename(dirname(rolesDir)), basename(rolesDir));
  return readdirSync(rolesDir)
    .sort()
    .filter((r) => existsSync(join(rolesDir, r, 'defaults', 'main.yml')))
    .map((r) => layer(join(rolesDir, r, 'defaults', 'main.yml'), join(shown, r, 'defaults', 'main.yml')));
}

/**
 * Every layer of a stack's gateway variables, lowest precedence first (role defaults <
 * group_vars, `all` first < host_vars), each read as Ansible reads it; undefined where no
 * variables were rendered. The one reading of these files.
 */
export function readGatewayLayers(stackDir: string, defaults: readonly VariableLayer[]): VariableLayer[] | undefined {
  const dir = join(stackDir, 'ansible');
  if (!existsSync(dir)) return undefined;
  const rendered = [...yamlFiles(join(dir, 'group_vars'), ['all']), ...yamlFiles(join(dir, 'host_vars'), [])];
  if (rendered.length === 0) return undefined;
  return [...defaults, ...rendered.map((f) => layer(f, relative(stackDir, f)))];
}

/** YAML files of a vars folder, `first` names ahead, the rest in name order. Folders per host/group are read too. */
function yamlFiles(dir: string, first: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const rank = (name: string): number => (first.includes(name.replace(/\.ya?ml$/, '')) ? 0 : 1);
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p, []);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** One vars file read as Ansible reads it (YAML 1.1); a file that cannot be judged is kept with the reason. */
function layer(file: string, label: string): VariableLayer {
  const read = readAnsibleYaml(readFileSync(file, 'utf8'));
  return read.ok ? { file: label, vars: read.value } : { file: label, vars: {}, unreadable: read.reason };
}
