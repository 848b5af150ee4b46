/**
 * What a compliance rule sees and returns. A rule is a pure function of the synthesized output
 * of one tenant (plus, for isolation rules, the other tenants' output): it never reads the
 * contract, so it judges what will really be deployed.
 */
import type { Cidr } from '../lib/cidr';
import type { GatewayVariables } from '../output/gateway-variables';
import type { PortalInput } from '../output/portal';
import type { TfJson, TfResource } from '../output/terraform';

export type { TfJson, TfResource } from '../output/terraform';

/** One tenant's synthesized output: the Terraform JSON and the files rendered next to it. */
export interface TenantView {
  /** The stack's folder name (the tenant id cdktf used). */
  readonly stackId: string;
  readonly tf: TfJson;
  readonly resources: readonly TfResource[];
  /** The aws provider's default tags (ras:tenant, service codes, labels, scope, status, ...). */
  readonly tags: Readonly<Record<string, string>>;
  /** Rendered gateway variables (ansible/); absent until the gateway configuration is rendered. */
  readonly gateway?: GatewayVariables;
  /** Rendered portal settings (portal.json), or why they could not be read. */
  readonly portal: PortalInput;
  /** The fleet stack making the bucket that holds this tenant's state (and the trail of its runs), when in the output. */
  readonly stateBackendStack?: { readonly id: string; readonly resources: readonly TfResource[] };
}

/** One thing a tenant's stack claims on the shared network (policies/address-space.ts). */
export interface Claim {
  readonly tenant: string;
  readonly resource: string;
  readonly path: string;
  readonly value: string;
  /**
   * A VLAN id's backbone link: the tenant's region (its first backbone attachment), or
   * `<region>/<name>` for one of the region's added links (`ras:backbone-link` tag). A VLAN id
   * names a tenant on one link only, so ids are unique per link, not fleet-wide.
   */
  readonly link?: string;
}

/**
 * The fleet's claims indexed once per evaluation, so the cross-tenant rules ask "who else holds
 * this?" in logarithmic time instead of scanning every other tenant (quadratic at 1,000 tenants).
 * Answers come in the fleet's own order, as a scan would give them.
 */
export interface FleetIndex {
  /** Claims of other tenants that overlap `cidr`; a claim that is not a literal CIDR always counts (fail closed). */
  overlapping(cidr: Cidr, exceptTenant: string, kinds: readonly ('vpc' | 'pools')[]): Claim[];
  /** Claims of other tenants holding the same VLAN id on the same backbone link. */
  sameVlan(value: string, link: string | undefined, exceptTenant: string): Claim[];
}

export interface RuleInput {
  readonly tenant: TenantView;
  /** What every tenant of the fleet (this one included) claims on the shared network, for the isolation rules. */
  readonly fleet: FleetIndex;
}

/** What was checked and what it holds, for the auditor to follow back to a resource. */
export interface Evidence {
  readonly resource: string;
  readonly path: string;
  readonly value: string;
}

/** A broken promise: where, what was found, what is required. */
export interface Finding {
  readonly resource: string;
  readonly path: string;
  readonly found: string;
  readonly required: string;
}

/**
 * A departure from the standard the contract records as the customer's written decision (the
 * legacy-cryptography opt-in): who approved it, when and why, as rendered for the gateway.
 */
export interface RecordedException {
  /** What the exception allows, e.g. the legacy algorithms in use. */
  readonly covers: string;
  readonly approvedBy: string;
  /** YYYY-MM-DD, when the contract records it. */
  readonly approvedOn?: string;
  readonly reason: string;
  /** The rendered file the record was read from. */
  readonly source: string;
}

export type RuleResult =
  | { readonly status: 'compliant'; readonly evidence: readonly Evidence[]; readonly notes?: readonly string[]; readonly exception?: RecordedException }
  | { readonly status: 'non_compliant'; readonly findings: readonly Finding[]; readonly evidence: readonly Evidence[] }
  | { readonly status: 'not_applicable'; readonly reason: string };

export type Rule = (input: RuleInput) => RuleResult;
