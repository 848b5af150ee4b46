import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route';
import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Construct } from 'constructs';
import { idFrom } from './ids';
import type { IsolatedNetwork } from './isolated-network';

/** A destination reached through a provider-side transit gateway attachment. */
export interface TransitDestination {
  /** Stable name; keys the route's construct id. */
  readonly name: string;
  readonly cidr: string;
  /** Provider attachment that leads there (the private backbone or the operations network). */
  readonly attachmentId: string;
}

export interface BackboneAttachmentProps {
  /** Name used in `Name` tags. */
  readonly name: string;
  readonly network: IsolatedNetwork;
  readonly transitGatewayId: string;
  /** The tenant's VLAN on the private backbone; carried on the attachment and its route table. */
  readonly vlanId: number;
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

  constructor(scope: Construct, id: string, props: BackboneAttachmentProps) {
    super(scope, id);
    const vlanTag = { 'ras:vlan-id': String(props.vlanId) };
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
    for (const d of props.destinations) {
      new Ec2TransitGatewayRoute(this, `Route-${idFrom(d.name)}`, {
        destinationCidrBlock: d.cidr,
        transitGatewayAttachmentId: d.attachmentId,
        transitGatewayRouteTableId: this.routeTable.id,
      });
      // The VPC side: traffic for the destination leaves through the transit gateway.
      props.network.addRoute('public', d.name, d.cidr, { transitGatewayId: props.transitGatewayId }, [this.attachment]);
    }
  }
}
