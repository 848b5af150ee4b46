/**
 * What a compliance rule sees and returns. A rule is a pure function of the synthesized output
 * of one tenant (plus, for isolation rules, the other tenants' output): it never reads the
 * contract, so it judges what will really be deployed.
 */
import type { FleetIndex } from './address-space';
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

export type RuleResult =
  | { readonly status: 'compliant'; readonly evidence: readonly Evidence[]; readonly notes?: readonly string[] }
  | { readonly status: 'non_compliant'; readonly findings: readonly Finding[]; readonly evidence: readonly Evidence[] }
  | { readonly status: 'not_applicable'; readonly reason: string };

export type Rule = (input: RuleInput) => RuleResult;
