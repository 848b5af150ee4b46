/**
 * Security group rules in one shape, whichever way Terraform declares them
 * (aws_vpc_security_group_*_rule, aws_security_group_rule, inline blocks of aws_security_group).
 */
import type { TenantView } from './types';
import { asList, blocks, isReference } from './view';

export interface SgRule {
  readonly resource: string;
  readonly path: string;
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `-1` (all) or a protocol number, lower-case. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** Source/destination CIDRs (IPv4 and IPv6) as written; may hold references. */
  readonly cidrs: readonly string[];
  /** Where the CIDRs are written in the resource, for findings. */
  readonly cidrPath: string;
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', all: '-1' };

function protocolOf(v: unknown): string {
  const p = String(v ?? '').toLowerCase();
  return PROTOCOL_NAMES[p] ?? p;
}

function port(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Where sgRules looks, as absence evidence names it. */
export const SG_RULE_SOURCES = 'aws_vpc_security_group_ingress_rule, aws_vpc_security_group_egress_rule, aws_security_group_rule, aws_security_group ingress/egress blocks';

export function sgRules(tenant: TenantView): SgRule[] {
  const rules: SgRule[] = [];
  for (const r of tenant.resources) {
    const c = r.config;
    if (r.type === 'aws_vpc_security_group_ingress_rule' || r.type === 'aws_vpc_security_group_egress_rule') {
      rules.push({
        resource: r.address,
        path: '',
        direction: r.type.endsWith('ingress_rule') ? 'ingress' : 'egress',
        protocol: protocolOf(c.ip_protocol),
        fromPort: port(c.from_port),
        toPort: port(c.to_port),
        cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((x): x is string => typeof x === 'string'),
        cidrPath: c.cidr_ipv6 !== undefined && c.cidr_ipv4 === undefined ? 'cidr_ipv6' : 'cidr_ipv4',
      });
    } else if (r.type === 'aws_security_group_rule') {
      rules.push({
        resource: r.address,
        path: '',
        direction: c.type === 'egress' ? 'egress' : 'ingress',
        protocol: protocolOf(c.protocol),
        fromPort: port(c.from_port),
        toPort: port(c.to_port),
        cidrs: [...asList(c.cidr_blocks), ...asList(c.ipv6_cidr_blocks)].filter((x): x is string => typeof x === 'string'),
        cidrPath: 'cidr_blocks',
      });
    } else if (r.type === 'aws_security_group') {
      for (const direction of ['ingress', 'egress'] as const) {
        blocks(c[direction]).forEach((b, i) =>
          rules.push({
            resource: r.address,
            path: `${direction}[${i}]`,
            direction,
            protocol: protocolOf(b.protocol),
            fromPort: port(b.from_port),
            toPort: port(b.to_port),
            cidrs: [...asList(b.cidr_blocks), ...asList(b.ipv6_cidr_blocks)].filter((x): x is string => typeof x === 'string'),
            cidrPath: `${direction}[${i}].cidr_blocks`,
          }),
        );
      }
    }
  }
  return rules;
}

export const INTERNET_CIDRS = ['0.0.0.0/0', '::/0'];

/** Open to anyone, or to a source the rule cannot see (a reference): treated as the internet (fail closed). */
export function fromInternet(rule: SgRule): boolean {
  return rule.cidrs.some((c) => INTERNET_CIDRS.includes(c) || isReference(c));
}

/** True when the rule lets `protocol`/`port` through (all-protocol rules and port ranges included). */
export function covers(rule: SgRule, protocol: string, p?: number): boolean {
  if (rule.protocol === '-1') return true;
  if (rule.protocol !== protocol) return false;
  if (p === undefined) return true;
  if (rule.fromPort === undefined || rule.toPort === undefined) return true; // no range: the whole protocol
  return rule.fromPort <= p && p <= rule.toPort;
}

/** `udp/500`, `tcp/1723`, `47` (GRE): how a rule's opening is named in findings. */
export function describeOpening(rule: SgRule): string {
  if (rule.protocol === '-1') return 'all protocols';
  if (rule.fromPort === undefined) return `protocol ${rule.protocol}`;
  return rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
}
