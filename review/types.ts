/** The shapes plan-review passes between its stages and prints as JSON. */

/** A synthesized stack (cdk.tf.json) as plain JSON. */
export interface StackConfig {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly terraform?: Record<string, unknown>;
  readonly moved?: readonly { from: string; to: string }[];
  readonly [key: string]: unknown;
}

/** One tenant's synthesized output: its Terraform stack and, where rendered, its gateway variables. */
export interface TenantOutput {
  readonly id: string;
  /** Folder holding cdk.tf.json (handed to compliance rules). */
  readonly dir: string;
  readonly config: StackConfig;
  /** Host variables rendered for the gateway (ansible/host_vars/*.yml), merged. @default - none rendered */
  readonly gatewayVars?: Record<string, unknown>;
  /** Portal settings rendered for the tenant (portal.json: two-factor, source addresses, lockout, operators). @default - none rendered */
  readonly portal?: Record<string, unknown>;
}

/** Where a side's output came from, and its contracts where known (for notice recipients). */
export interface Side {
  /** What the user passed (`main`, `cdktf.out`), for headings. */
  readonly label: string;
  readonly outdir: string;
  /** The checkout the output belongs to (holds fleet.yaml, tenants/, ansible/), where known. */
  readonly root?: string;
  readonly tenants: ReadonlyMap<string, TenantOutput>;
  /** Operators' e-mail addresses per tenant, from the contracts through the loader. @default - unknown */
  readonly operators?: ReadonlyMap<string, readonly string[]>;
}

export type Action = 'add' | 'update' | 'replace' | 'destroy' | 'moved';
export const ACTIONS: readonly Action[] = ['add', 'update', 'replace', 'destroy', 'moved'];

export interface AttributeChange {
  /** Path inside the resource, `rule[0].expiration[0].days`; `(provider).region` for stack-wide settings. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The provider must re-create the resource for this change. */
  readonly forcesReplacement: boolean;
}

export interface ResourceChange {
  /** Terraform address in head (in base for a destroy). */
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** For `moved`, and for the `add` of a resource renamed without a `moved` block: the address in base. */
  readonly movedFrom?: string;
  /** For the `destroy` of a resource renamed without a `moved` block: the address head creates it under. */
  readonly movedTo?: string;
  /**
   * A logical id changed but head has no `moved` block for it: counted as Terraform plans it, a
   * `destroy` (with `movedTo`) and an `add` (with `movedFrom`), unless the state is moved by hand.
   */
  readonly movedWithoutBlock?: boolean;
  readonly attributes: readonly AttributeChange[];
  /** Why, when not visible in the attributes (a replaced dependency, the region, a tenant removed). */
  readonly reason?: string;
  /** Whose classification this is: our own config diff, or Terraform's plan. */
  readonly source: 'config' | 'terraform-plan';
  /** Controls of the whitepaper this resource (or attribute) serves. */
  readonly controls: readonly string[];
}

export type RiskCode =
  | 'gateway-destroyed'
  | 'log-archive-destroyed'
  | 'ingress-widened'
  | 'crypto-weakened'
  | 'retention-changed'
  | 'erasure-weakened'
  | 'region-changed'
  | 'scope-changed'
  | 'portal-weakened'
  | 'relay-destination-added'
  | 'carrier-path-opened'
  | 'rule-newly-failing';

export interface Risk {
  readonly code: RiskCode;
  readonly tenant: string;
  readonly address?: string;
  readonly attribute?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly message: string;
  readonly controls: readonly string[];
  /** retention-changed: the days promised for the rule's prefix, and the prefix (notices say when a period drops below it). */
  readonly promise?: { readonly days: number; readonly prefix: string };
}

export interface TenantReview {
  readonly tenant: string;
  /** `added`/`removed` when the tenant's stack exists on one side only. */
  readonly stack: 'added' | 'removed' | 'changed';
  readonly counts: Record<Action, number>;
  readonly changes: readonly ResourceChange[];
  /** Gateway variables (ansible group_vars/host_vars) that differ. */
  readonly gatewayVars: readonly AttributeChange[];
  /** Portal settings (portal.json) that differ. */
  readonly portal: readonly AttributeChange[];
  readonly risks: readonly Risk[];
  readonly controls: readonly string[];
  /** Whether the change reaches the customer's service (12.1.2 notice), and why. */
  readonly serviceImpact: readonly ImpactCode[];
  /** The tenant's service codes and the customer's labels (8.2.2), from the provider's default tags. */
  readonly services: readonly { readonly code: string; readonly label?: string }[];
  /** Registered operator addresses (contract portal.operators[].email), where the contracts are known. */
  readonly recipients?: readonly string[];
  /** Whose actions these are: Terraform's plan document for this tenant, or our config diff. */
  readonly source: 'config' | 'terraform-plan';
}

export type ImpactCode =
  | 'gateway-interrupted'
  | 'gateway-restarted'
  | 'gateway-address-changes'
  | 'service-stopped'
  | 'service-started'
  | 'access-changed'
  | 'crypto-changed'
  | 'network-changed'
  | 'log-retention-changed'
  | 'data-erasure-changed'
  | 'portal-changed'
  | 'region-changed';

export interface Review {
  readonly base: string;
  readonly head: string;
  /** Tenants with at least one change, risky first. */
  readonly tenants: readonly TenantReview[];
  readonly unchanged: readonly string[];
  readonly risky: boolean;
  /** Whether the compliance rules (policies/) were run on both sides. */
  readonly rulesEvaluated: boolean;
}
