/**
 * What a change does to the customer's service, for the 12.1.2 change notice. Provider-internal
 * changes (tags, alarms, the instance role, management-only rules) reach no customer and send no notice.
 */
import { INTERNET } from './ingress';
import type { AttributeChange, ImpactCode, ResourceChange, Risk } from './types';

const NETWORK_TYPES = new Set([
  'aws_vpc',
  'aws_subnet',
  'aws_route',
  'aws_route_table',
  'aws_route_table_association',
  'aws_internet_gateway',
  'aws_ec2_transit_gateway_vpc_attachment',
  'aws_ec2_transit_gateway_route',
  'aws_ec2_transit_gateway_route_table',
  'aws_ec2_transit_gateway_route_table_association',
  'aws_ec2_transit_gateway_route_table_propagation',
]);

/** Instance attributes whose in-place update stops and starts the instance. */
const RESTARTING = ['instance_type', 'user_data', 'ebs_optimized', 'cpu_options'];

export interface ImpactInput {
  readonly stack: 'added' | 'removed' | 'changed';
  readonly changes: readonly ResourceChange[];
  readonly gatewayVars: readonly AttributeChange[];
  readonly portal: readonly AttributeChange[];
  readonly risks: readonly Risk[];
}

export function serviceImpact(input: ImpactInput): ImpactCode[] {
  const out = new Set<ImpactCode>();
  if (input.stack === 'added') out.add('service-started');
  if (input.stack === 'removed') out.add('service-stopped');
  for (const c of input.changes.filter((x) => !tagsOnly(x))) {
    const gone = c.action === 'destroy' || c.action === 'replace';
    if (c.type === 'aws_instance') {
      // Destroyed under its old name and created under the new one: rebuilt, not stopped.
      if (c.action === 'destroy' && c.movedTo === undefined && input.stack !== 'added') out.add('service-stopped');
      else if (gone) out.add('gateway-interrupted');
      else if (c.action === 'update' && c.attributes.some((a) => RESTARTING.some((r) => a.path === r || a.path.startsWith(`${r}.`)))) out.add('gateway-restarted');
    }
    if (c.type === 'aws_eip' && gone) out.add('gateway-address-changes');
    if (c.type === 'aws_vpc_security_group_ingress_rule' && touchesInternet(c)) out.add('access-changed');
    if (NETWORK_TYPES.has(c.type) && input.stack === 'changed') out.add('network-changed');
    if (c.type === 'aws_s3_bucket_lifecycle_configuration' && input.stack === 'changed') lifecycleImpact(c).forEach((i) => out.add(i));
  }
  for (const v of input.gatewayVars) {
    if (/^strongswan_(crypto|legacy|pptp|ikev2|l2tp|auth)/.test(v.path)) out.add('crypto-changed');
    else if (/^(access_control|strongswan_(users|pools|client_pool|customer))/.test(v.path)) out.add('access-changed');
  }
  if (input.portal.some((p) => !p.path.startsWith('tenant'))) out.add('portal-changed');
  for (const r of input.risks) {
    if (r.code === 'region-changed') out.add('region-changed');
    if (r.code === 'erasure-weakened') out.add('data-erasure-changed');
    if (r.code === 'retention-changed') out.add('log-retention-changed');
    if (r.code === 'crypto-weakened') out.add('crypto-changed');
    if (r.code === 'ingress-widened' && INTERNET.some((i) => String(r.after).includes(`from ${i}`))) out.add('access-changed');
  }
  if (out.has('service-stopped')) {
    // Everything on the gateway side goes with the service; one line says so.
    for (const code of ['gateway-interrupted', 'gateway-restarted', 'gateway-address-changes', 'access-changed', 'crypto-changed', 'network-changed'] as const) out.delete(code);
  }
  return IMPACT_ORDER.filter((c) => out.has(c));
}

/** Most disruptive first: the order notices list them in. */
const IMPACT_ORDER: readonly ImpactCode[] = [
  'service-stopped',
  'service-started',
  'region-changed',
  'gateway-interrupted',
  'gateway-restarted',
  'gateway-address-changes',
  'access-changed',
  'crypto-changed',
  'network-changed',
  'log-retention-changed',
  'data-erasure-changed',
  'portal-changed',
];

/** An internet-facing rule (what VPN clients reach) added, removed or changed. */
function touchesInternet(c: ResourceChange): boolean {
  if (c.action === 'add' || c.action === 'destroy') return true;
  return c.attributes.some((a) => INTERNET.includes(String(a.before)) || INTERNET.includes(String(a.after)) || /port|protocol/.test(a.path));
}

/** Tags are bookkeeping (8.2.2): an update of tags alone reaches no customer. */
function tagsOnly(c: ResourceChange): boolean {
  return c.action === 'update' && c.attributes.length > 0 && c.attributes.every((a) => /^tags(_all)?\./.test(a.path));
}

/** Per lifecycle rule: a rule with an expiration date is the erasure schedule; days are retention. */
function lifecycleImpact(c: ResourceChange): ImpactCode[] {
  const byRule = new Map<string, string[]>();
  for (const a of c.attributes) {
    const rule = /^rule\[\d+\]/.exec(a.path)?.[0] ?? '';
    byRule.set(rule, [...(byRule.get(rule) ?? []), a.path]);
  }
  const out = new Set<ImpactCode>();
  for (const paths of byRule.values()) {
    if (paths.some((p) => /expiration(\[0\])?\.date$/.test(p))) out.add('data-erasure-changed');
    else if (paths.some((p) => /days$|status$/.test(p))) out.add('log-retention-changed');
  }
  return [...out];
}
