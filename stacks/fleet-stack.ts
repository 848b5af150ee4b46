import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { RunRecords } from '../constructs/run-records';
import { StateBucket } from '../constructs/state-bucket';
import { TenantKey } from '../constructs/tenant-key';
import { TransitHub } from '../constructs/transit-hub';
import { LINK_OUTPUT, type FleetSettings } from '../contract/types';
import { fleetStackName } from '../lib/fleet-stack-name';

export interface FleetStackProps {
  readonly fleet: FleetSettings;
  readonly region: string;
}

/** The state key of a region's fleet stack (tenants use `<keyPrefix>/<tenant>/`). */
export function fleetStateKey(region: string): string {
  return `fleet/${region}/terraform.tfstate`;
}

/** The records bucket of Terraform runs: the state bucket's name with `-records` (kept within S3's 63 characters). */
export function runRecordsBucketName(stateBucket: string): string {
  return `${stateBucket.slice(0, 63 - '-records'.length).replace(/[.-]+$/, '')}-records`;
}

/**
 * What every tenant stack of one region refers to, made once per region before any tenant
 * (README, Deploy): the transit gateway with its backbone and operations attachments, the
 * operations alarm topic, a fleet key, and in the state backend's region the Terraform state
 * bucket with the trail recording every run against it (constructs/run-records.ts, 12.4.3).
 * Its outputs are named as fleet.yaml's region fields, so `terraform output -json` is recorded
 * as it is in fleet-outputs/<region>.json, where the contract loader reads it.
 */
export class FleetStack extends TerraformStack {
  constructor(scope: Construct, props: FleetStackProps) {
    const { fleet, region } = props;
    super(scope, fleetStackName(region));
    const settings = fleet.regions[region];
    const name = `${fleet.namePrefix}-${region}`;

    // The state bucket's own region applies its fleet stack first with a local state, then moves
    // the state into the bucket it made (`terraform init -migrate-state`; README, Deploy).
    new S3Backend(this, {
      bucket: fleet.stateBackend.bucket,
      key: fleetStateKey(region),
      region: fleet.stateBackend.region,
      encrypt: true,
      kmsKeyId: fleet.stateBackend.kmsKeyArn,
    });
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: [fleet.accountId],
      defaultTags: [{ tags: { 'ras:fleet': fleet.namePrefix, 'ras:stack': 'fleet' } }],
    });

    const key = new TenantKey(this, 'FleetKey', {
      alias: `${fleet.namePrefix}/fleet`,
      description: `RAS fleet key ${fleet.namePrefix} ${region}: Terraform state and the operations topic`,
      accountId: fleet.accountId,
      extraStatements: [
        {
          // Alarms publish to the encrypted operations topic through this service principal.
          Sid: 'AlarmsPublishEncrypted',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': fleet.accountId } },
        },
        {
          // The trail of Terraform runs (RunRecords) encrypts its records with this key.
          Sid: 'TrailEncryptsRunRecords',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${fleet.accountId}:trail/*` } },
        },
      ],
    });
    const topic = new SnsTopic(this, 'OperationsTopic', { name: `${fleet.namePrefix}-operations`, kmsMasterKeyId: key.arn });
    const hub = new TransitHub(this, 'Transit', {
      name,
      availabilityZone: settings.availabilityZone,
      backboneCidr: settings.edgeNetworks.backbone,
      operationsCidr: settings.edgeNetworks.operations,
      backboneLinks: (settings.backboneLinks ?? []).map((l) => ({ name: l.name, cidr: l.edgeNetwork })),
    });

    new TerraformOutput(this, 'transitGatewayId', { value: hub.transitGateway.id, staticId: true });
    new TerraformOutput(this, 'backboneAttachmentId', { value: hub.backboneAttachment.id, staticId: true });
    if (hub.linkAttachments.size > 0) {
      // One map for the added links (contract/fleet-outputs.ts reads it by link name).
      const ids = Object.fromEntries([...hub.linkAttachments].map(([link, attachment]) => [link, attachment.id]));
      new TerraformOutput(this, LINK_OUTPUT, { value: ids, staticId: true });
    }
    new TerraformOutput(this, 'operationsAttachmentId', { value: hub.operationsAttachment.id, staticId: true });
    new TerraformOutput(this, 'operationsTopicArn', { value: topic.arn, staticId: true });
    new TerraformOutput(this, 'fleetKeyArn', { value: key.arn, staticId: true });
    if (region === fleet.stateBackend.region) {
      const state = new StateBucket(this, 'StateBucket', { bucketName: fleet.stateBackend.bucket, encryptionKey: key });
      new TerraformOutput(this, 'stateBucketArn', { value: state.bucket.arn, staticId: true });
      new RunRecords(this, 'RunRecords', {
        bucketName: runRecordsBucketName(fleet.stateBackend.bucket),
        stateBucketName: fleet.stateBackend.bucket,
        encryptionKey: key,
        trailName: `${fleet.namePrefix}-terraform-runs`,
        accountId: fleet.accountId,
        region,
      });
    }
  }
}
