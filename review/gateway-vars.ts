/**
 * The gateway's rendered variables (ansible host_vars), compared key by key. Crypto settings are
 * judged: a weaker profile, a legacy opt-in, PPTP switched on, or a weak algorithm added to a
 * proposal list is a weakening (10.1.1, 18.1.5), and so is a reorder or merge that lets a legacy
 * algorithm be chosen over a stronger one (proposal order is part of the profile).
 */
import { GATEWAY_VARIABLE_NAMES as V, profileStrength, weakTokens } from '../commitments';
import { proposalOrderProblems } from '../policies/crypto';
import { controlsForGatewayVariable } from './controls';
import { differences } from './flatten';
import type { AttributeChange } from './types';

/** Profile order and weak algorithms are commitments/gateway.ts's, the same the compliance rules judge with. */
const PROFILES = V.profiles;

export function gatewayVarChanges(base?: Record<string, unknown>, head?: Record<string, unknown>): AttributeChange[] {
  if (base === undefined || head === undefined) return [];
  return differences(base, head).map((d) => ({ ...d, forcesReplacement: false }));
}

export interface CryptoWeakening {
  readonly variable: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly why: string;
  readonly controls: readonly string[];
}

export function cryptoWeakenings(base?: Record<string, unknown>, head?: Record<string, unknown>): CryptoWeakening[] {
  if (base === undefined || head === undefined) return [];
  const out: CryptoWeakening[] = [];
  const add = (variable: string, why: string) => out.push({ variable, before: base[variable], after: head[variable], why, controls: controlsForGatewayVariable(variable) });
  for (const [name, after] of Object.entries(head)) {
    const before = base[name];
    if (name === V.cryptoProfile && typeof before === 'string' && typeof after === 'string') {
      const b = profileStrength(before);
      const a = profileStrength(after);
      if (a > b || (a === -1 && before !== after)) add(name, `cipher profile ${before} → ${after}`);
    } else if ((name === V.legacyOptIn || name === V.pptp) && after === true && before !== true) {
      add(name, name === V.pptp ? 'PPTP (MPPE-128) switched on' : 'legacy cryptography opted in');
    }
  }
  const before = proposals(base);
  for (const [list, items] of proposals(head)) {
    const had = new Set(before.get(list) ?? []);
    const weak = items.filter((p) => !had.has(p) && weakTokens(p).length > 0);
    if (weak.length > 0) out.push({ variable: list, before: before.get(list), after: items, why: `weak proposal added: ${weak.join(', ')}`, controls: controlsForGatewayVariable('strongswan_crypto') });
    const hadProblems = new Set(proposalOrderProblems(before.get(list) ?? []));
    const order = proposalOrderProblems(items).filter((p) => !hadProblems.has(p));
    if (order.length > 0) out.push({ variable: list, before: before.get(list), after: items, why: `proposal order weakened: ${order.join('; ')}`, controls: controlsForGatewayVariable('strongswan_crypto') });
  }
  return out;
}

/** The proposal lists in effect: the selected profile's (from the role defaults or rendered), and any top-level `*_proposals`. */
function proposals(vars: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const profile = vars[V.cryptoProfile];
  const profiles = vars[PROFILES] as Record<string, unknown> | undefined;
  const selected = typeof profile === 'string' ? (profiles?.[profile] as Record<string, unknown> | undefined) : undefined;
  for (const [k, v] of Object.entries(selected ?? {})) if (Array.isArray(v)) out.set(`${PROFILES}.${String(profile)}.${k}`, v.map(String));
  for (const [k, v] of Object.entries(vars)) if (/proposals$/.test(k) && Array.isArray(v)) out.set(k, v.map(String));
  return out;
}
