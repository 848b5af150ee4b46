import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route';
import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Construct } from 'constructs';
import { idFrom } from './ids';
import type { IsolatedNetwork, SubnetSide } from './isolated-network';
import { PropsCheck } from './validate';

/** A destination reached through a provider-side transit gateway attachment. */
export interface TransitDestination {
  /** Stable name, unique among the destinations; keys the route's construct id. */
  readonly name: string;
  /** The destination network (IPv4 CIDR). */
  readonly cidr: string;
  /** Provider attachment (`tgw-attach-...`) that leads there (the private backbone or the operations network). */
  readonly attachmentId: string;
}

export interface BackboneAttachmentProps {
  /** Name used in `Name` tags. */
  readonly name: string;
  /** The tenant's network; attached through its backbone subnet. */
  readonly network: IsolatedNetwork;
  /** The provider's transit gateway (`tgw-...`). */
  readonly transitGatewayId: string;
  /** The tenant's VLAN on the private backbone (1-4094); carried on the attachment and its route table. */
  readonly vlanId: number;
  /**
   * The backbone link the VLAN rides on, when the region has more than one: tagged
   * `ras:backbone-link` beside `ras:vlan-id`, since a VLAN id is unique on its link only. Left out
   * for the region's first link (no tag, as before links could be added).
   */
  readonly backboneLink?: string;
  /** Destinations routed from the tenant's route table (customer networks, operations network). */
  readonly destinations: readonly TransitDestination[];
}

/**
 * Attaches the tenant VPC to the provider's transit gateway with a route table of its own
 * (13.1.3, CLD13.1.4): the attachment neither associates with nor propagates into the
 * transit gateway's default table, only its own table learns the tenant VPC, and that table
 * holds only the tenant's own destinations. No route can lead to another tenant.
 */
export class BackboneAttachment extends Construct {
  public readonly attachment: Ec2TransitGatewayVpcAttachment;
  public readonly routeTable: Ec2TransitGatewayRouteTable;
  private readonly transitGatewayId: string;
  private readonly network: IsolatedNetwork;

  constructor(scope: Construct, id: string, props: BackboneAttachmentProps) {
    super(scope, id);
    validateProps(this, props);
    const vlanTag = { 'ras:vlan-id': String(props.vlanId), ...(props.backboneLink === undefined ? {} : { 'ras:backbone-link': props.backboneLink }) };
    this.attachment = new Ec2TransitGatewayVpcAttachment(this, 'Attachment', {
      transitGatewayId: props.transitGatewayId,
      vpcId: props.network.vpc.id,
      subnetIds: [props.network.backboneSubnet.id],
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      dnsSupport: 'enable',
      tags: { Name: props.name, ...vlanTag },
    });
    this.routeTable = new Ec2TransitGatewayRouteTable(this, 'RouteTable', {
      transitGatewayId: props.transitGatewayId,
      tags: { Name: props.name, ...vlanTag },
    });
    new Ec2TransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: this.attachment.id,
      transitGatewayRouteTableId: this.routeTable.id,
      replaceExistingAssociation: false,
    });
    new Ec2TransitGatewayRouteTablePropagation(this, 'Propagation', {
      transitGatewayAttachmentId: this.attachment.id,
      transitGatewayRouteTableId: this.routeTable.id,
    });
    this.transitGatewayId = props.transitGatewayId;
    this.network = props.network;
    for (const d of props.destinations) this.routeTo('public', d);
  }

  /**
   * Routes `destination` from one subnet of the tenant network: the transit gateway side in the
   * tenant's own table, the VPC side in that subnet's route table only (so the carrier ranges are
   * reachable from the carrier subnet and from nowhere else).
   */
  public routeTo(from: SubnetSide, destination: TransitDestination): void {
    const check = new PropsCheck('BackboneAttachment.routeTo', this);
    checkDestination(check, 'destination', destination);
    check.done();
    new Ec2TransitGatewayRoute(this, `Route-${idFrom(destination.name)}`, {
      destinationCidrBlock: destination.cidr,
      transitGatewayAttachmentId: destination.attachmentId,
      transitGatewayRouteTableId: this.routeTable.id,
    });
    // The VPC side: traffic for the destination leaves through the transit gateway.
    this.network.addRoute(from, destination.name, destination.cidr, { transitGatewayId: this.transitGatewayId }, [this.attachment]);
  }
}

function validateProps(attachment: BackboneAttachment, props: BackboneAttachmentProps): void {
  const check = new PropsCheck('BackboneAttachment', attachment);
  check.matches('transitGatewayId', props.transitGatewayId, /^tgw-[0-9a-f]{8,17}$/, 'a transit gateway id, tgw- and 8-17 hex digits');
  check.integer('vlanId', props.vlanId, 1, 4094, 'a VLAN id from 1 to 4094');
  if (props.backboneLink !== undefined) check.matches('backboneLink', props.backboneLink, /^[a-z][a-z0-9-]{0,30}$/, "a link name: a lower-case letter, then up to 30 lower-case letters, digits and '-'");
  props.destinations.forEach((d, i) => checkDestination(check, `destinations[${i}]`, d));
  check.unique(props.destinations, (i) => `destinations[${i}].name`, (d) => idFrom(d.name), 'name');
  check.unique(props.destinations, (i) => `destinations[${i}].cidr`, (d) => d.cidr, 'CIDR');
  check.done();
}

function checkDestination(check: PropsCheck, field: string, d: TransitDestination): void {
  // Names may hold a CIDR ('customer-172.16.10.0/24'): idFrom() makes them construct ids.
  check.matches(`${field}.name`, d.name, /^[a-z0-9][a-z0-9./-]{0,62}$/, "1-63 characters: lower-case letters, digits, '.', '/' and '-'");
  check.cidr(`${field}.cidr`, d.cidr);
  check.matches(`${field}.attachmentId`, d.attachmentId, /^tgw-attach-[0-9a-f]{8,17}$/, 'a transit gateway attachment id, tgw-attach- and 8-17 hex digits');
}
