/**
 * The typed tenant model: a validated contract with defaults applied and the facts derived
 * from it (ISO scope, size class, erasure dates, subnets). Everything after contract/ reads
 * this, never the YAML.
 */
import {
  DEFAULT_CRYPTO_PROFILE,
  DISCONTINUED_LINKED_SERVICES,
  ERASURE_DEADLINE_DAYS,
  ERASURE_SAFETY_MARGIN_DAYS,
  ISO_SCOPE,
  type LinkedService,
} from '../commitments';
import { addDays } from '../lib/calendar';
import { hostAddress, parseCidr, subnet, type Cidr } from '../lib/cidr';
import { sizeFor, type SizeClass } from '../lib/sizing';
import type { CryptoProfile, FleetSettings, RegionSettings, TenantContract } from './types';
import { tenantLink } from './backbone-links';

export interface IsoScope {
  readonly inScope: boolean;
  /** Why a tenant is out of scope (empty when in scope). */
  readonly reasons: readonly string[];
}

export interface Erasure {
  readonly terminationDate: string;
  /** termination + 45 days: the promised deadline. */
  readonly deadline: string;
  /** When the log archive's erase-everything rule starts expiring objects (before the deadline). */
  readonly expireFrom: string;
}

export interface TenantModel {
  readonly id: string;
  /** The contract file it came from, for messages and reports. */
  readonly sourceFile: string;
  readonly contract: TenantContract;
  readonly active: boolean;
  readonly crypto: { readonly profile: CryptoProfile; readonly legacyOptIn?: { readonly approvedBy: string; readonly approvedOn?: string; readonly reason: string } };
  readonly size: SizeClass;
  readonly scope: IsoScope;
  /** Linked service that takes no new contracts; kept for contracts signed before the cut-off. */
  readonly grandfathered: boolean;
  readonly erasure?: Erasure;
  readonly network: {
    readonly vpcCidr: string;
    /** Public subnet holding the gateway's internet-facing interface. */
    readonly publicSubnetCidr: string;
    /**
     * The gateway's address in the public subnet, fixed so that the operations side (Prometheus
     * targets, SSH) knows it from the synthesized output, before any apply.
     */
    readonly gatewayAddress: string;
    /** Subnet holding the transit gateway attachment towards the backbone. */
    readonly backboneSubnetCidr: string;
    readonly linkedService: LinkedService;
    readonly vlanId: number;
    /**
     * The backbone link the VLAN rides on (contract/backbone-links.ts): its key (the region, or
     * `<region>/<name>`), its name (undefined for the region's first link) and its attachment,
     * where the customer networks are routed.
     */
    readonly backbone: { readonly link: string; readonly name?: string; readonly attachmentId: string };
    /** Customer networks (all host-group CIDRs) routed through the backbone. */
    readonly customerCidrs: readonly string[];
    /** Closed mobile access, when the contract enables it. */
    readonly closedMobile?: ClosedMobile;
  };
  readonly region: RegionSettings & { readonly name: string };
  /** Type B only: what the relay lets each user group reach (absent on a Type A gateway). */
  readonly relay?: RelayModel;
}

/** One contract rule as the relay applies it: a user group may open these host:port pairs. */
export interface RelayRoute {
  /** `<userGroup>-<hostGroup>-<serviceGroup>`, as Type A's access control rules are named. */
  readonly name: string;
  readonly userGroup: string;
  readonly cidrs: readonly string[];
  /** HTTP(S) ports only (contract/relay-checks.ts). */
  readonly ports: readonly number[];
}

export interface RelayModel {
  readonly routes: readonly RelayRoute[];
}

/**
 * Closed mobile access: the carrier-side subnet (the VPC's third quarter, with no internet route),
 * the gateway's fixed address there, and the carrier's device ranges, the only sources it admits.
 */
export interface ClosedMobile {
  readonly carrierCidrs: readonly string[];
  /** Identities that connect only over the carrier (certificate only). */
  readonly identities: readonly string[];
  readonly subnetCidr: string;
  readonly gatewayAddress: string;
  /** Transit gateway attachment towards the carrier (fleet settings of the tenant's region). */
  readonly carrierAttachmentId: string;
}

export interface FleetModel {
  readonly settings: FleetSettings;
  readonly sourceFile: string;
  readonly tenants: readonly TenantModel[];
}

export function buildTenantModel(contract: TenantContract, sourceFile: string, fleet: FleetSettings): TenantModel {
  const size = sizeFor(contract.gateway.sizing.terminals, contract.gateway.sizing.requestsPerSecond);
  if (size === undefined) throw new Error(`${sourceFile}: sizing was not validated before building the model`);
  const vpc = parseCidr(contract.network.vpcCidr) as Cidr;
  const grandfathered = DISCONTINUED_LINKED_SERVICES.includes(contract.network.linkedService);
  const reasons: string[] = [];
  if (contract.gateway.type !== ISO_SCOPE.gatewayType) reasons.push(`gateway type ${contract.gateway.type} (only Type ${ISO_SCOPE.gatewayType} is in scope)`);
  if (contract.network.linkedService !== ISO_SCOPE.linkedService) {
    reasons.push(`linked service ${contract.network.linkedService} (only ${ISO_SCOPE.linkedService} is in scope)`);
  }
  const customerCidrs = [...new Set(contract.accessControl.hostGroups.flatMap((g) => g.cidrs))].sort();
  return {
    id: contract.tenant,
    sourceFile,
    contract,
    active: contract.status === 'active',
    crypto: { profile: contract.gateway.crypto?.profile ?? DEFAULT_CRYPTO_PROFILE, legacyOptIn: contract.gateway.crypto?.legacyOptIn },
    size,
    scope: { inScope: reasons.length === 0, reasons },
    grandfathered,
    erasure: contract.status === 'terminated' && contract.terminationDate !== undefined ? erasureFor(contract.terminationDate) : undefined,
    network: {
      vpcCidr: contract.network.vpcCidr,
      publicSubnetCidr: subnet(vpc, vpc.prefix + 2, 0),
      gatewayAddress: gatewayAddressIn(parseCidr(subnet(vpc, vpc.prefix + 2, 0)) as Cidr),
      backboneSubnetCidr: subnet(vpc, vpc.prefix + 2, 1),
      linkedService: contract.network.linkedService,
      vlanId: contract.network.vlanId,
      backbone: backboneFor(contract, fleet),
      customerCidrs,
      closedMobile: closedMobileFor(contract, vpc, fleet),
    },
    region: { name: contract.region, ...fleet.regions[contract.region] },
    ...(contract.gateway.type === 'B' ? { relay: relayModel(contract) } : {}),
  };
}

function relayModel(contract: TenantContract): RelayModel {
  const ac = contract.accessControl;
  const cidrsOf = new Map(ac.hostGroups.map((h) => [h.name, [...h.cidrs]]));
  const portsOf = new Map(ac.serviceGroups.map((s) => [s.name, [...new Set(s.services.flatMap((x) => x.ports ?? []))].sort((a, b) => a - b)]));
  return {
    routes: ac.rules.map((r) => ({
      name: `${r.userGroup}-${r.hostGroup}-${r.serviceGroup}`,
      userGroup: r.userGroup,
      cidrs: cidrsOf.get(r.hostGroup) ?? [],
      ports: portsOf.get(r.serviceGroup) ?? [],
    })),
  };
}

function backboneFor(contract: TenantContract, fleet: FleetSettings): TenantModel['network']['backbone'] {
  const link = tenantLink(contract, fleet);
  if (link === undefined) throw new Error(`${contract.tenant}: backbone link ${contract.network.backboneLink} of ${contract.region} was not validated before building the model`);
  // The attachment id is checked recorded (RAS103) before a model is built from loaded contracts.
  return { link: link.key, ...(link.name === undefined ? {} : { name: link.name }), attachmentId: link.attachmentId as string };
}

function closedMobileFor(contract: TenantContract, vpc: Cidr, fleet: FleetSettings): ClosedMobile | undefined {
  const mobile = contract.gateway.closedMobile;
  if (mobile === undefined) return undefined;
  const attachment = fleet.regions[contract.region]?.carrierAttachmentId;
  if (attachment === undefined) throw new Error(`${contract.tenant}: closed mobile access without a carrier attachment was not validated before building the model`);
  const subnetCidr = subnet(vpc, vpc.prefix + 2, 2);
  return {
    carrierCidrs: [...mobile.carrierCidrs].sort(),
    identities: [...mobile.identities].sort(),
    subnetCidr,
    gatewayAddress: gatewayAddressIn(parseCidr(subnetCidr) as Cidr),
    carrierAttachmentId: attachment,
  };
}

/**
 * AWS reserves the first four addresses of a subnet (network, router, DNS, future); the gateway
 * takes the tenth, clear of them in every subnet size the VPC range allows (/26 and larger).
 */
export const GATEWAY_HOST_INDEX = 10;

function gatewayAddressIn(publicSubnet: Cidr): string {
  return hostAddress(publicSubnet, GATEWAY_HOST_INDEX);
}

export function erasureFor(terminationDate: string): Erasure {
  return {
    terminationDate,
    deadline: addDays(terminationDate, ERASURE_DEADLINE_DAYS),
    expireFrom: addDays(terminationDate, ERASURE_DEADLINE_DAYS - ERASURE_SAFETY_MARGIN_DAYS),
  };
}
