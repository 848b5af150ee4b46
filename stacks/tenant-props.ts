/** Mappings from the tenant model to construct props that more than one construct needs. */
import type { TenantModel } from '../contract/model';
import type { Protocol } from '../contract/types';
import type { ServicePort } from '../constructs/gateway';

const IKE: ServicePort = { name: 'ike', protocol: 'udp', port: 500 };
const NAT_T: ServicePort = { name: 'ipsec-nat-t', protocol: 'udp', port: 4500 };

/**
 * What each protocol needs open to the internet. L2TP (udp/1701) runs inside IPsec, so only IKE
 * and NAT-T are exposed for it; PPTP needs its control port and GRE (IP protocol 47).
 */
const PORTS_BY_PROTOCOL: Record<Protocol, readonly ServicePort[]> = {
  ikev2: [IKE, NAT_T],
  'l2tp-ipsec': [IKE, NAT_T],
  pptp: [
    { name: 'pptp', protocol: 'tcp', port: 1723 },
    { name: 'gre', protocol: '47' },
  ],
  'https-relay': [{ name: 'https', protocol: 'tcp', port: 443 }],
  sstp: [], // refused at validation; never reaches a stack
};

export function publicServicesFor(protocols: readonly Protocol[]): ServicePort[] {
  const byName = new Map<string, ServicePort>();
  for (const p of protocols) for (const port of PORTS_BY_PROTOCOL[p]) byName.set(port.name, port);
  return [...byName.values()];
}

/**
 * Tags on every resource (8.2.2): the tenant, its service codes, the customer's label for each
 * code, its ISO/IEC 27017 scope (and the gateway type and linked service it follows from), its
 * status and termination date, and the declared sizing. Applied as the provider's default tags.
 */
export function tenantTags(tenant: TenantModel): Record<string, string> {
  const codes = tenant.contract.serviceCodes;
  const tags: Record<string, string> = {
    'ras:tenant': tenant.id,
    'ras:service-code:management': codes.management,
    'ras:service-code:gateway': codes.gateway,
    'ras:service-code:network': codes.network,
    'ras:iso27017-scope': tenant.scope.inScope ? 'in-scope' : 'out-of-scope',
    'ras:status': tenant.contract.status,
    'ras:managed-by': 'ras-tenant-factory',
    // What the scope, sizing and erasure rules (policies/) judge the output by: the synthesized
    // stack carries the facts, so the rules never need the contract.
    'ras:gateway-type': tenant.contract.gateway.type,
    'ras:linked-service': tenant.network.linkedService,
    'ras:declared-terminals': String(tenant.contract.gateway.sizing.terminals),
    'ras:declared-rps': String(tenant.contract.gateway.sizing.requestsPerSecond),
  };
  if (tenant.erasure !== undefined) tags['ras:termination-date'] = tenant.erasure.terminationDate;
  for (const [code, label] of Object.entries(tenant.contract.labels ?? {})) tags[`ras:label:${code}`] = tagValue(label);
  return tags;
}

// What IAM and S3 accept in a tag value; EC2 takes more, but default tags reach every service.
const NOT_IN_TAGS = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]+/gu;

/** A label as a tag value: characters AWS refuses in tags (Japanese punctuation, parentheses) become one space. */
export function tagValue(label: string): string {
  return label.replace(NOT_IN_TAGS, ' ').replace(/ {2,}/g, ' ').trim();
}
