import { DefaultRouteTable } from '@cdktf/provider-aws/lib/default-route-table';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { contains, overlaps } from '../lib/cidr';
import { idFrom } from './ids';
import type { LogArchive } from './log-archive';
import { PropsCheck } from './validate';

export interface IsolatedNetworkProps {
  /** Name used in `Name` tags. */
  readonly name: string;
  /** The tenant VPC's address range (IPv4 CIDR), unique across the fleet. */
  readonly cidr: string;
  /** Subnet of the gateway's internet-facing interface (inside `cidr`). */
  readonly publicSubnetCidr: string;
  /** Subnet of the transit gateway attachment towards the backbone (inside `cidr`, apart from the public subnet). */
  readonly backboneSubnetCidr: string;
  /** Availability zone of both subnets, e.g. `ap-northeast-1a`. */
  readonly availabilityZone: string;
  /** Archive that receives the VPC's flow logs, under the prefix it owns (`flowLogDestination()`). */
  readonly flowLogArchive: LogArchive;
}

/** Where a route sends traffic. */
export type RouteTarget = { readonly transitGatewayId: string } | { readonly networkInterfaceId: string };

/**
 * One tenant's isolated network (CLD9.5.1, 13.1.3): its own VPC with a public subnet for the
 * gateway and a backbone subnet for the transit gateway attachment. The default security group
 * and the main route table are taken over and left empty, so nothing created later can fall
 * back to an open default (security groups, not network ACLs, are the access control here). Every flow is logged into the tenant's archive.
 */
export class IsolatedNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnet: Subnet;
  public readonly backboneSubnet: Subnet;
  private readonly routeTables: Record<'public' | 'backbone', RouteTable>;

  constructor(scope: Construct, id: string, props: IsolatedNetworkProps) {
    super(scope, id);
    validateProps(this, props);
    this.vpc = new Vpc(this, 'Vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, 'DefaultSecurityGroupClosed', { vpcId: this.vpc.id, ingress: [], egress: [], tags: { Name: `${props.name}-default-closed` } });
    new DefaultRouteTable(this, 'DefaultRouteTableEmpty', { defaultRouteTableId: this.vpc.defaultRouteTableId, route: [], tags: { Name: `${props.name}-main-empty` } });

    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: { Name: props.name } });
    this.publicSubnet = this.subnet('Public', `${props.name}-public`, props.publicSubnetCidr, props.availabilityZone);
    this.backboneSubnet = this.subnet('Backbone', `${props.name}-backbone`, props.backboneSubnetCidr, props.availabilityZone);
    this.routeTables = {
      public: this.routeTable('Public', `${props.name}-public`, this.publicSubnet),
      backbone: this.routeTable('Backbone', `${props.name}-backbone`, this.backboneSubnet),
    };
    new Route(this, 'PublicDefaultRoute', { routeTableId: this.routeTables.public.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    new FlowLog(this, 'FlowLog', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 's3',
      logDestination: props.flowLogArchive.flowLogDestination(),
      maxAggregationInterval: 60,
      tags: { Name: `${props.name}-flow-log` },
    });
  }

  /**
   * Adds a route for `cidr` from one of the subnets. `name` keys the route's construct id,
   * so routes are never recreated when the list of destinations is reordered.
   */
  public addRoute(from: 'public' | 'backbone', name: string, cidr: string, target: RouteTarget, dependsOn?: ITerraformDependable[]): Route {
    const check = new PropsCheck('IsolatedNetwork.addRoute', this);
    check.cidr('cidr', cidr);
    check.done();
    return new Route(this, `Route-${from}-${idFrom(name)}`, {
      routeTableId: this.routeTables[from].id,
      destinationCidrBlock: cidr,
      ...target,
      dependsOn,
    });
  }

  private subnet(id: string, name: string, cidr: string, az: string): Subnet {
    return new Subnet(this, `${id}Subnet`, { vpcId: this.vpc.id, cidrBlock: cidr, availabilityZone: az, mapPublicIpOnLaunch: false, tags: { Name: name } });
  }

  private routeTable(id: string, name: string, subnet: Subnet): RouteTable {
    const table = new RouteTable(this, `${id}RouteTable`, { vpcId: this.vpc.id, tags: { Name: name } });
    new RouteTableAssociation(this, `${id}RouteTableAssociation`, { subnetId: subnet.id, routeTableId: table.id });
    return table;
  }
}

function validateProps(network: IsolatedNetwork, props: IsolatedNetworkProps): void {
  const check = new PropsCheck('IsolatedNetwork', network);
  const vpc = check.cidr('cidr', props.cidr);
  const subnets = (['publicSubnetCidr', 'backboneSubnetCidr'] as const).map((field) => ({ field, cidr: check.cidr(field, props[field]) }));
  for (const { field, cidr } of subnets) {
    if (vpc !== undefined && cidr !== undefined && !contains(vpc, cidr)) check.add('CP106', field, cidr.text, 'is not inside the VPC', `a subnet of cidr ${vpc.text}`);
  }
  const [pub, backbone] = subnets.map((s) => s.cidr);
  if (pub !== undefined && backbone !== undefined && overlaps(pub, backbone)) {
    check.add('CP107', 'backboneSubnetCidr', backbone.text, 'overlaps publicSubnetCidr', `a range apart from ${pub.text}`);
  }
  check.matches('availabilityZone', props.availabilityZone, /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'an availability zone name such as ap-northeast-1a');
  check.done();
}
