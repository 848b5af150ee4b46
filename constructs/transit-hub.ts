import { Ec2TransitGateway } from '@cdktf/provider-aws/lib/ec2-transit-gateway';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { PropsCheck } from './validate';

export interface TransitHubProps {
  /** Name used in `Name` tags. */
  readonly name: string;
  readonly availabilityZone: string;
  /** Where the private backbone lands (IPv4 CIDR): the VPC of the carrier's Direct Connect or VPN. */
  readonly backboneCidr: string;
  /** Where the operations network lands (IPv4 CIDR). */
  readonly operationsCidr: string;
  /** The region's added backbone links, each landing in its own VPC (contract/backbone-links.ts). */
  readonly backboneLinks?: readonly { readonly name: string; readonly cidr: string }[];
}

/**
 * The region's transit gateway and the shared attachments every tenant routes to (the backbone,
 * with any added backbone links, and the operations network). The
 * gateway neither associates nor propagates attachments into a default route table: each tenant's
 * own route table (BackboneAttachment) is the only path, so no tenant can reach another (13.1.3).
 * The shared attachments likewise stay out of any default table; the provider's side routes them.
 */
export class TransitHub extends Construct {
  public readonly transitGateway: Ec2TransitGateway;
  public readonly backboneAttachment: Ec2TransitGatewayVpcAttachment;
  public readonly operationsAttachment: Ec2TransitGatewayVpcAttachment;
  /** The added backbone links' attachments, by link name. */
  public readonly linkAttachments: ReadonlyMap<string, Ec2TransitGatewayVpcAttachment>;

  constructor(scope: Construct, id: string, props: TransitHubProps) {
    super(scope, id);
    const check = new PropsCheck('TransitHub', this);
    check.cidr('backboneCidr', props.backboneCidr);
    check.cidr('operationsCidr', props.operationsCidr);
    (props.backboneLinks ?? []).forEach((l, i) => {
      check.matches(`backboneLinks[${i}].name`, l.name, /^[a-z][a-z0-9-]{0,30}$/, "a link name: a lower-case letter, then up to 30 lower-case letters, digits and '-'");
      check.cidr(`backboneLinks[${i}].cidr`, l.cidr);
    });
    check.unique(props.backboneLinks ?? [], (i) => `backboneLinks[${i}].name`, (l) => l.name, 'name');
    check.done();
    this.transitGateway = new Ec2TransitGateway(this, 'TransitGateway', {
      description: `${props.name}: one route table per tenant, no default association or propagation`,
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      autoAcceptSharedAttachments: 'disable',
      dnsSupport: 'enable',
      tags: { Name: props.name },
    });
    this.backboneAttachment = this.edge('backbone', props.name, props.backboneCidr, props.availabilityZone);
    this.operationsAttachment = this.edge('operations', props.name, props.operationsCidr, props.availabilityZone);
    // Each added link is another attachment towards the backbone, with VLAN ids of its own.
    this.linkAttachments = new Map((props.backboneLinks ?? []).map((l) => [l.name, this.edge(`backbone-${l.name}`, props.name, l.cidr, props.availabilityZone)]));
  }

  private edge(kind: string, name: string, cidr: string, availabilityZone: string): Ec2TransitGatewayVpcAttachment {
    const tags = { Name: `${name}-${kind}` };
    const vpc = new Vpc(this, `${kind}-vpc`, { cidrBlock: cidr, enableDnsSupport: true, enableDnsHostnames: false, tags });
    const subnet = new Subnet(this, `${kind}-subnet`, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone, tags });
    return new Ec2TransitGatewayVpcAttachment(this, `${kind}-attachment`, {
      transitGatewayId: this.transitGateway.id,
      vpcId: vpc.id,
      subnetIds: [subnet.id],
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags,
    });
  }
}
