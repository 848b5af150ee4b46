/**
 * The shapes of the two input files after schema validation. They mirror
 * schema/tenant.schema.json and schema/fleet.schema.json; the loader only casts to them
 * once ajv has accepted the document.
 */
import type { LinkedService } from '../commitments';

export type Protocol = 'ikev2' | 'l2tp-ipsec' | 'sstp' | 'pptp' | 'https-relay';
export type AuthMethod = 'certificate' | 'eap-mschapv2' | 'eap-tls' | 'psk';
export type CryptoProfile = 'strong' | 'legacy';
export type OperatorRole = 'administrator' | 'operator' | 'viewer';

export interface TenantContract {
  readonly tenant: string;
  readonly customer: { readonly name: string };
  readonly serviceCodes: { readonly management: string; readonly gateway: string; readonly network: string };
  readonly labels?: Readonly<Record<string, string>>;
  readonly contractDate: string;
  readonly status: 'active' | 'terminated';
  readonly terminationDate?: string;
  readonly region: string;
  readonly gateway: {
    readonly type: 'A' | 'B';
    readonly sizing: { readonly terminals: number; readonly requestsPerSecond: number };
    readonly protocols: readonly Protocol[];
    readonly crypto?: {
      readonly profile?: CryptoProfile;
      readonly legacyOptIn?: { readonly approvedBy: string; readonly approvedOn?: string; readonly reason: string };
    };
    readonly clientPool: string;
    readonly authentication: readonly AuthMethod[];
    /** Closed mobile access (Type A only): the carrier's device address ranges. */
    readonly closedMobile?: {
      readonly carrierCidrs: readonly string[];
      /** Contract identities that connect only over the carrier (certificate only); the internet side refuses them. */
      readonly identities: readonly string[];
    };
  };
  readonly accessControl: {
    readonly userGroups: readonly { readonly name: string; readonly members: readonly string[] }[];
    readonly hostGroups: readonly { readonly name: string; readonly cidrs: readonly string[] }[];
    readonly serviceGroups: readonly {
      readonly name: string;
      readonly services: readonly { readonly protocol: 'tcp' | 'udp' | 'icmp'; readonly ports?: readonly number[] }[];
    }[];
    readonly rules: readonly { readonly userGroup: string; readonly hostGroup: string; readonly serviceGroup: string }[];
  };
  readonly network: {
    readonly linkedService: LinkedService;
    readonly vpcCidr: string;
    readonly vlanId: number;
    /** One of the region's backboneLinks (fleet settings); absent: the region's first link. */
    readonly backboneLink?: string;
  };
  readonly portal: {
    readonly operators: readonly { readonly id: string; readonly email: string; readonly role: OperatorRole }[];
    readonly twoFactorRequired: boolean;
    readonly allowedSourceCidrs: readonly string[];
    readonly lockoutThreshold: number;
  };
  /** Version of the contract last applied by a contract event; absent in hand-written files. */
  readonly contractVersion?: number;
  /** Id of the contract event that wrote the file. */
  readonly lastEventId?: string;
}

/** What a region's fleet stack makes (stacks/fleet-stack.ts); recorded in fleet-outputs/<region>.json. */
export const FLEET_OUTPUT_FIELDS = ['transitGatewayId', 'backboneAttachmentId', 'operationsAttachmentId', 'operationsTopicArn'] as const;
/** The fleet stack's output of the region's added backbone links' attachment ids, a map by link name (only when it has some). */
export const LINK_OUTPUT = 'backboneLinkAttachmentIds';

/**
 * A region after its recorded fleet outputs are merged in (contract/fleet-outputs.ts). The
 * FLEET_OUTPUT_FIELDS are always present for a region a tenant uses (checked); a region no tenant
 * uses may lack them until its fleet stack is applied.
 */
export interface RegionSettings {
  readonly availabilityZone: string;
  /** VPCs the fleet stack attaches to the transit gateway: the private backbone's and the operations network's landing. */
  readonly edgeNetworks: { readonly backbone: string; readonly operations: string };
  readonly transitGatewayId: string;
  /** The region's first backbone link's attachment. */
  readonly backboneAttachmentId: string;
  /** More backbone links (contract/backbone-links.ts); attachmentId comes from the recorded fleet outputs. */
  readonly backboneLinks?: readonly BackboneLinkSettings[];
  readonly operationsAttachmentId: string;
  /** Attachment towards the mobile carrier's closed network; given in fleet.yaml where a tenant uses closed mobile access. */
  readonly carrierAttachmentId?: string;
  readonly gatewayImageId: string;
  /** Image build version ARN of the fleet's image pipeline that produced gatewayImageId. */
  readonly gatewayImageBuild: string;
  readonly operationsTopicArn: string;
}

export interface BackboneLinkSettings {
  readonly name: string;
  readonly edgeNetwork: string;
  readonly attachmentId?: string;
}

export interface FleetSettings {
  readonly accountId: string;
  readonly namePrefix: string;
  readonly stateBackend: { readonly bucket: string; readonly region: string; readonly keyPrefix?: string; readonly kmsKeyArn?: string };
  readonly regions: Readonly<Record<string, RegionSettings>>;
  readonly operationsCidr: string;
  readonly operationsAccess: OperationsAccess;
  readonly ntpServers: readonly string[];
  readonly pools: {
    readonly vpc: string;
    readonly vpcPrefixLength?: number;
    readonly clientPools: string;
    readonly vlan: { readonly min: number; readonly max: number };
  };
  readonly secretStore: { readonly kind: 'aws-secretsmanager' | 'file'; readonly pathPrefix: string };
  readonly imagePipeline: { readonly region: string; readonly baseImageId: string; readonly recipeVersion: string };
}

export interface OperationsAccount {
  readonly name: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA... comment`). */
  readonly sshPublicKeys: readonly string[];
}

export interface OperationsAccess {
  /** The account the Terraform hand-off runs the playbook with (one of `accounts`). */
  readonly handOffAccount: string;
  readonly accounts: readonly OperationsAccount[];
}
