/**
 * Portal settings (portal.json, rendered from the contract): administrator sign-in must keep
 * two-factor authentication, source-address restriction and account lock (9.2.3). A change
 * that loosens any of them is a risk.
 */
import { contains, isCidr, parseCidr } from '../lib/cidr';
import { differences } from './flatten';
import type { AttributeChange, Risk } from './types';

export function portalChanges(base?: Record<string, unknown>, head?: Record<string, unknown>): AttributeChange[] {
  if (base === undefined || head === undefined) return [];
  return differences(base, head).map((d) => ({ ...d, forcesReplacement: false }));
}

export function portalWeakenings(tenant: string, base?: Record<string, unknown>, head?: Record<string, unknown>): Risk[] {
  if (base === undefined || head === undefined) return [];
  const out: Risk[] = [];
  const risk = (attribute: string, message: string) =>
    out.push({ code: 'portal-weakened', tenant, address: 'portal.json', attribute, before: base[attribute], after: head[attribute], message, controls: ['9.2.3'] });
  if (base.twoFactorRequired === true && head.twoFactorRequired !== true) risk('twoFactorRequired', 'portal sign-in no longer requires two-factor authentication');
  const lockBefore = base.lockoutThreshold;
  const lockAfter = head.lockoutThreshold;
  if (typeof lockBefore === 'number' && (typeof lockAfter !== 'number' || lockAfter > lockBefore)) risk('lockoutThreshold', 'accounts lock after more failed sign-ins, or never');
  const before = cidrs(base.allowedSourceCidrs);
  const after = cidrs(head.allowedSourceCidrs);
  const wider = after.filter((a) => !before.some((b) => b === a || coversCidr(b, a)));
  if ((before.length > 0 && after.length === 0) || wider.length > 0) {
    risk('allowedSourceCidrs', after.length === 0 ? 'portal sign-in no longer restricted by source address' : `portal sign-in allowed from ${wider.join(', ')} as well`);
  }
  return out;
}

function cidrs(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function coversCidr(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return isCidr(o) && isCidr(i) && contains(o, i);
}
