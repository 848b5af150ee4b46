/**
 * IAM policy documents as plain typed objects. They are rendered with JSON.stringify, so the
 * synthesized Terraform holds the literal document an auditor reads (with Terraform references
 * for ARNs that are only known at apply time).
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS?: string | string[]; readonly Service?: string | string[] };
  readonly Action: string | string[];
  /** Absent only in trust (assume-role) policies. */
  readonly Resource?: string | string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | string[] | boolean>>>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** A bucket reachable over TLS only: every request without aws:SecureTransport is denied. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': false } },
  };
}
