/**
 * The gateway's rendered variables (ansible host_vars), compared key by key. Crypto settings are
 * judged: a weaker profile, a legacy opt-in, PPTP switched on, or a weak algorithm added to a
 * proposal list is a weakening (10.1.1, 18.1.5).
 */
import { controlsForGatewayVariable } from './controls';
import { differences } from './flatten';
import type { AttributeChange } from './types';

/** Profiles from strongest to weakest (contract CryptoProfile). */
const PROFILE_STRENGTH = ['strong', 'legacy'];
const WEAK_ALGORITHM = /3des|des\b|modp768|modp1024|md5|sha1(?!\d)|mppe|rc4|pptp/i;

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
    if (name.endsWith('crypto_profile') && typeof before === 'string' && typeof after === 'string') {
      const b = PROFILE_STRENGTH.indexOf(before);
      const a = PROFILE_STRENGTH.indexOf(after);
      if (a > b || (a === -1 && before !== after)) add(name, `cipher profile ${before} → ${after}`);
    } else if (/legacy_opt_in$|pptp_enabled$/.test(name) && after === true && before !== true) {
      add(name, name.endsWith('pptp_enabled') ? 'PPTP (MPPE-128) switched on' : 'legacy cryptography opted in');
    } else if (/proposals|ciphers|esp|ike/.test(name) && Array.isArray(after)) {
      const had = new Set((Array.isArray(before) ? before : []).map(String));
      const weak = after.map(String).filter((p) => !had.has(p) && WEAK_ALGORITHM.test(p));
      if (weak.length > 0) add(name, `weak algorithm added: ${weak.join(', ')}`);
    }
  }
  return out;
}
