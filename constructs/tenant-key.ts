import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from './policy-document';
import { PropsCheck } from './validate';

export interface TenantKeyProps {
  /** Alias name without the `alias/` prefix, e.g. `ras-prod/sakura-trading` (letters, digits, '/', '_', '-'; not `aws/...`). */
  readonly alias: string;
  /** Account (12 digits) that owns the key; its administrators keep control of the key policy. */
  readonly accountId: string;
  /**
   * Days between a destroy and the key's deletion (AWS allows 7-30).
   * @default 7 - short, so a purged tenant's key (and with it any leftover ciphertext) goes soon.
   */
  readonly deletionWindowDays?: number;
  /**
   * Keep Terraform from destroying the key.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * Further key policy statements (the fleet key lets CloudWatch alarms publish to its encrypted topic).
   * @default - none
   */
  readonly extraStatements?: readonly PolicyStatement[];
  /** @default `RAS tenant key <alias>` */
  readonly description?: string;
}

/**
 * The tenant's own customer-managed KMS key: encrypts its log archive and the gateway's disk,
 * so no two tenants share key material (CLD9.5.1) and erasing a tenant can end with its key.
 */
export class TenantKey extends Construct {
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    validateProps(this, props);
    const root = `arn:aws:iam::${props.accountId}:root`;
    this.key = new KmsKey(this, 'Key', {
      description: props.description ?? `RAS tenant key ${props.alias}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 7,
      policy: policyDocument([
        { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
        {
          // VPC flow logs are delivered into the SSE-KMS log archive by this service principal.
          Sid: 'FlowLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
        ...(props.extraStatements ?? []),
      ]),
      lifecycle: { preventDestroy: props.protectFromDestroy ?? true },
    });
    new KmsAlias(this, 'Alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }

  public get arn(): string {
    return this.key.arn;
  }
}

function validateProps(key: TenantKey, props: TenantKeyProps): void {
  const check = new PropsCheck('TenantKey', key);
  // KMS: `alias/` + name is at most 256 characters, and `aws/` belongs to AWS managed keys.
  check.matches('alias', props.alias, /^(?!aws\/)[A-Za-z0-9/_-]{1,250}$/, "1-250 characters: letters, digits, '/', '_' and '-', not starting with aws/");
  check.matches('accountId', props.accountId, /^\d{12}$/, 'an AWS account id, 12 digits');
  check.integer('deletionWindowDays', props.deletionWindowDays, 7, 30, 'whole days from 7 to 30 (KMS)');
  check.done();
}
