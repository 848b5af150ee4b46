import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  COMBINED_DOWNLOAD_PREFIX,
  COMBINED_DOWNLOAD_RETENTION_DAYS,
  FLOW_LOG_PREFIX,
  FLOW_LOG_RETENTION_DAYS,
  LOG_SEARCH_RETENTION_DAYS,
  LOG_STREAMS,
  OPERATOR_WORK_RETENTION_DAYS,
  OPERATOR_WORK_STREAM,
} from '../commitments';
import type { FleetSettings } from '../contract/types';
import type { TenantModel } from '../contract/model';
import { BackboneAttachment } from '../constructs/backbone-attachment';
import { CarrierInterface } from '../constructs/carrier-interface';
import { Gateway } from '../constructs/gateway';
import { GatewayConfiguration } from '../constructs/gateway-configuration';
import { gatewayConfigHash, logArchiveBucket, operationsUserData } from '../gateway-config';
import { IsolatedNetwork } from '../constructs/isolated-network';
import { LogArchive, type RetainedPrefix } from '../constructs/log-archive';
import { TenantKey } from '../constructs/tenant-key';
import { toTerraformResolvedOnce } from './synth-speed';
import { publicServicesFor, tenantTags } from './tenant-props';

export interface TenantStackProps {
  readonly tenant: TenantModel;
  readonly fleet: FleetSettings;
}

/**
 * One tenant, one stack, one state. Wires the constructs from the tenant model; holds no
 * resource logic of its own. An active tenant gets its isolated network, backbone attachment
 * and gateway; a terminated tenant keeps only its key and log archive, which erases everything
 * before termination + 45 days, so the gateway's service stops with the contract.
 */
export class TenantStack extends TerraformStack {
  public readonly logArchive: LogArchive;
  public readonly gateway?: Gateway;

  constructor(scope: Construct, props: TenantStackProps) {
    const { tenant, fleet } = props;
    super(scope, tenant.id);
    const name = `${fleet.namePrefix}-${tenant.id}`;

    new S3Backend(this, {
      bucket: fleet.stateBackend.bucket,
      key: `${fleet.stateBackend.keyPrefix ?? 'tenants'}/${tenant.id}/terraform.tfstate`,
      region: fleet.stateBackend.region,
      encrypt: true,
      kmsKeyId: fleet.stateBackend.kmsKeyArn,
    });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
    this.addOverride('terraform.backend.s3.use_lockfile', true);

    new AwsProvider(this, 'aws', {
      region: tenant.region.name,
      allowedAccountIds: [fleet.accountId],
      defaultTags: [{ tags: tenantTags(tenant) }],
    });

    const key = new TenantKey(this, 'TenantKey', { alias: `${fleet.namePrefix}/${tenant.id}`, accountId: fleet.accountId, protectFromDestroy: tenant.active });
    this.logArchive = new LogArchive(this, 'LogArchive', {
      // The same name the gateway ships its logs to (one definition, in gateway-config).
      bucketName: logArchiveBucket(tenant, fleet),
      encryptionKey: key,
      accountId: fleet.accountId,
      retention: retentionRules(),
      flowLogPrefix: FLOW_LOG_PREFIX,
      eraseAllFrom: tenant.erasure?.expireFrom,
      protectFromDestroy: tenant.active,
    });
    new TerraformOutput(this, 'log_archive_bucket', { value: this.logArchive.bucket.bucket });
    if (!tenant.active) return;

    const network = new IsolatedNetwork(this, 'Network', {
      name,
      cidr: tenant.network.vpcCidr,
      publicSubnetCidr: tenant.network.publicSubnetCidr,
      backboneSubnetCidr: tenant.network.backboneSubnetCidr,
      carrierSubnetCidr: tenant.network.closedMobile?.subnetCidr,
      availabilityZone: tenant.region.availabilityZone,
      flowLogArchive: this.logArchive,
    });
    const backbone = new BackboneAttachment(this, 'Backbone', {
      name,
      network,
      transitGatewayId: tenant.region.transitGatewayId,
      vlanId: tenant.network.vlanId,
      backboneLink: tenant.network.backbone.name,
      destinations: [
        // Customer networks are reached over the tenant's own backbone link (contract/backbone-links.ts).
        ...tenant.network.customerCidrs.map((cidr) => ({ name: `customer-${cidr}`, cidr, attachmentId: tenant.network.backbone.attachmentId })),
        { name: 'operations', cidr: fleet.operationsCidr, attachmentId: tenant.region.operationsAttachmentId },
      ],
    });
    const gateway = new Gateway(this, 'Gateway', {
      name,
      network,
      imageId: tenant.region.gatewayImageId,
      privateAddress: tenant.network.gatewayAddress,
      instanceType: tenant.size.instanceType,
      encryptionKey: key,
      publicServices: publicServicesFor(tenant.contract.gateway.protocols),
      managementCidr: fleet.operationsCidr,
      customerCidrs: tenant.network.customerCidrs,
      logArchive: this.logArchive,
      logPrefixes: [...LOG_STREAMS.map((s) => s.prefix), COMBINED_DOWNLOAD_PREFIX, OPERATOR_WORK_STREAM.prefix],
      alarmTopicArn: tenant.region.operationsTopicArn,
      baselineMbps: tenant.size.baselineMbps,
      userData: operationsUserData(fleet),
    });
    // Return traffic from the backbone to VPN clients goes through the gateway.
    network.addRoute('backbone', 'client-pool', tenant.contract.gateway.clientPool, { networkInterfaceId: gateway.networkInterfaceId });
    this.gateway = gateway;
    const mobile = tenant.network.closedMobile;
    if (mobile !== undefined) {
      // Closed mobile access: the carrier ranges are routed from the carrier subnet only, to the carrier attachment.
      for (const cidr of mobile.carrierCidrs) backbone.routeTo('carrier', { name: `carrier-${cidr}`, cidr, attachmentId: mobile.carrierAttachmentId });
      new CarrierInterface(this, 'CarrierInterface', { name, network, gateway, privateAddress: mobile.gatewayAddress, carrierCidrs: mobile.carrierCidrs });
    }
    // Both gateway types are configured by the same hand-off (site.yml picks the roles).
    // Terraform runs in cdktf.out/stacks/<tenant>/: the roles are three folders up, the rendered
    // inventory beside the stack (stacks/synth.ts writes it from the same model).
    new GatewayConfiguration(this, 'GatewayConfiguration', {
      instanceId: gateway.instance.id,
      gatewayAddress: gateway.instance.privateIp,
      configurationHash: gatewayConfigHash(tenant, fleet),
      inventoryFile: 'ansible/inventory.yml',
      playbookFile: '../../../ansible/site.yml',
      ansibleConfigFile: '../../../ansible/ansible.cfg',
      remoteUser: fleet.operationsAccess.handOffAccount,
    });
    new TerraformOutput(this, 'gateway_public_ip', { value: gateway.publicIp.publicIp });
    new TerraformOutput(this, 'gateway_instance_id', { value: gateway.instance.id });
  }

  /**
   * cdktf's default first resolves every element once, only to discover references to other
   * stacks (which would add outputs and remote-state lookups). A tenant stack never references
   * another stack: one state per tenant is the design. Skipping that pass removes a third of the
   * synthesis time; test/stacks checks that no stack carries cross-stack outputs or remote state.
   */
  public prepareStack(): void {
    this.ensureBackendExists();
  }

  /** The same document as cdktf's own, resolved in one pass instead of two (see synth-speed.ts). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's signature
  public toTerraform(): any {
    return toTerraformResolvedOnce(this) ?? super.toTerraform();
  }
}

function retentionRules(): RetainedPrefix[] {
  return [
    ...LOG_STREAMS.map((s) => ({ id: `${s.id}-retention`, prefix: s.prefix, expireAfterDays: LOG_SEARCH_RETENTION_DAYS })),
    { id: 'combined-download-retention', prefix: COMBINED_DOWNLOAD_PREFIX, expireAfterDays: COMBINED_DOWNLOAD_RETENTION_DAYS },
    { id: 'flow-logs-retention', prefix: FLOW_LOG_PREFIX, expireAfterDays: FLOW_LOG_RETENTION_DAYS },
    { id: 'operator-work-retention', prefix: OPERATOR_WORK_STREAM.prefix, expireAfterDays: OPERATOR_WORK_RETENTION_DAYS },
  ];
}
