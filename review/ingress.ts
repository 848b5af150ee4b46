/**
 * Security group ingress as comparable permissions, to tell whether head lets in anything base
 * did not (CLD9.5.2: source-IP restriction, unneeded ports closed; 13.1.3).
 */
import { contains, isCidr, parseCidr } from '../lib/cidr';
import { resourcesOf } from './resources';
import type { StackConfig } from './types';

export interface Permission {
  /** Resource address and, for inline rules, the index: where the permission is written. */
  readonly where: string;
  readonly cidr: string;
  /** `tcp`, `udp`, `icmp`, an IP protocol number, or `-1` for all. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

export const INTERNET = ['0.0.0.0/0', '::/0'];

/** Every ingress permission of a stack: rule resources and inline `ingress` blocks. */
export function ingressOf(config: StackConfig | undefined): Permission[] {
  const out: Permission[] = [];
  for (const r of resourcesOf(config).values()) {
    const b = r.body;
    if (r.type === 'aws_vpc_security_group_ingress_rule') {
      const cidr = (b.cidr_ipv4 ?? b.cidr_ipv6 ?? b.referenced_security_group_id ?? b.prefix_list_id) as string | undefined;
      out.push(permission(r.address, cidr ?? '(unknown source)', b.ip_protocol, b.from_port, b.to_port));
    }
    if ((r.type === 'aws_security_group' || r.type === 'aws_default_security_group') && Array.isArray(b.ingress)) {
      b.ingress.forEach((rule: Record<string, unknown>, i: number) => {
        const cidrs = [...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? [])];
        for (const cidr of cidrs.length > 0 ? cidrs : ['(security group or prefix list)']) {
          out.push(permission(`${r.address}.ingress[${i}]`, cidr, rule.protocol, rule.from_port, rule.to_port));
        }
      });
    }
  }
  return out;
}

function permission(where: string, cidr: string, protocol: unknown, from: unknown, to: unknown): Permission {
  const p = String(protocol ?? '-1').toLowerCase();
  const all = p === '-1' || p === 'all';
  return { where, cidr, protocol: all ? '-1' : p, fromPort: all || typeof from !== 'number' ? 0 : from, toPort: all || typeof to !== 'number' ? 65535 : to };
}

/** Does `outer` allow everything `inner` allows? */
export function covers(outer: Permission, inner: Permission): boolean {
  const protocolOk = outer.protocol === '-1' || outer.protocol === inner.protocol;
  const portsOk = outer.protocol === '-1' || (outer.fromPort <= inner.fromPort && outer.toPort >= inner.toPort);
  return protocolOk && portsOk && cidrCovers(outer.cidr, inner.cidr);
}

function cidrCovers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return isCidr(o) && isCidr(i) && contains(o, i);
}

/** Head permissions that no base permission covers: the widening. */
export function widenedIngress(base: StackConfig | undefined, head: StackConfig | undefined): Permission[] {
  const before = ingressOf(base);
  return ingressOf(head).filter((p) => !before.some((b) => covers(b, p)));
}

export function describePermission(p: Permission): string {
  const ports = p.protocol === '-1' ? 'all traffic' : p.fromPort === p.toPort ? `${p.protocol}/${p.fromPort}` : `${p.protocol}/${p.fromPort}-${p.toPort}`;
  return `${ports} from ${p.cidr}${INTERNET.includes(p.cidr) ? ' (the whole internet)' : ''}`;
}
