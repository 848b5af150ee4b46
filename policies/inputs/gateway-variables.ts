/**
 * The gateway variables rendered for Ansible (cdktf.out/stacks/<tenant>/ansible/: inventory.yml,
 * group_vars/, host_vars/), as the rules need them. Ansible's precedence is followed: role
 * defaults, then group_vars, then host_vars. Every field is optional: a variable that was not
 * rendered is absent here, and the rule that needs it reports that (fail closed).
 */

export interface GatewayVariables {
  /** The rendered files read, for the report. */
  readonly files: readonly string[];
  /** Files Ansible would read differently from any judgement made here (or not load at all), with why. */
  readonly unreadable: readonly { readonly file: string; readonly reason: string }[];
  /** For each variable, the file whose value won (evidence points there). */
  readonly origin: Readonly<Record<string, string>>;
  readonly cryptoProfile?: string;
  readonly legacyOptIn?: boolean;
  readonly protocols: { readonly ikev2?: boolean; readonly l2tpIpsec?: boolean; readonly pptp?: boolean };
  /** Every IKE/ESP proposal of the selected profile, when the profile's proposals are known. */
  readonly proposals?: readonly string[];
  /** The selected profile's proposal lists by name (e.g. ikev2_proposals), in order: order is part of the profile. */
  readonly proposalLists?: Readonly<Record<string, readonly string[]>>;
  readonly timezone?: string;
  readonly ntpServers?: readonly string[];
}

/** One file's variables, in precedence order (lowest first). */
export interface VariableLayer {
  readonly file: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Why the file cannot be judged as Ansible reads it (then `vars` is empty). */
  readonly unreadable?: string;
}

/** Variable names (the gateway configuration's) that the rules read. */
export const GATEWAY_VARIABLE_NAMES = {
  cryptoProfile: 'strongswan_crypto_profile',
  legacyOptIn: 'strongswan_legacy_opt_in',
  ikev2: 'strongswan_ikev2_enabled',
  l2tpIpsec: 'strongswan_l2tp_enabled',
  pptp: 'strongswan_pptp_enabled',
  profiles: 'strongswan_crypto_profiles',
  timezone: 'time_timezone',
  ntpServers: 'time_ntp_servers',
} as const;

export function gatewayVariables(layers: readonly VariableLayer[]): GatewayVariables {
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer.vars)) {
      merged[k] = v;
      origin[k] = layer.file;
    }
  }
  const n = GATEWAY_VARIABLE_NAMES;
  const profile = typeof merged[n.cryptoProfile] === 'string' ? (merged[n.cryptoProfile] as string) : undefined;
  return {
    files: layers.map((l) => l.file),
    unreadable: layers.flatMap((l) => (l.unreadable === undefined ? [] : [{ file: l.file, reason: l.unreadable }])),
    origin,
    cryptoProfile: profile,
    legacyOptIn: bool(merged[n.legacyOptIn]),
    protocols: { ikev2: bool(merged[n.ikev2]), l2tpIpsec: bool(merged[n.l2tpIpsec]), pptp: bool(merged[n.pptp]) },
    proposals: profile === undefined ? undefined : proposalsOf(merged[n.profiles], profile),
    proposalLists: profile === undefined ? undefined : proposalListsOf(merged[n.profiles], profile),
    timezone: typeof merged[n.timezone] === 'string' ? (merged[n.timezone] as string) : undefined,
    ntpServers: stringList(merged[n.ntpServers]),
  };
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
function proposalsOf(profiles: unknown, profile: string): string[] | undefined {
  if (profiles === null || typeof profiles !== 'object') return undefined;
  const p = (profiles as Record<string, unknown>)[profile];
  if (p === null || typeof p !== 'object') return undefined;
  return Object.values(p as Record<string, unknown>).flatMap((list) => stringList(list) ?? []);
}
