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
  /**
   * Subnet of the gateway's carrier-side interface for closed mobile access (inside `cidr`, apart
   * from the other subnets). Its route table has no internet route: only the carrier's ranges,
   * through the transit gateway, are ever routed from it (`addRoute('carrier', ...)`).
   * @default - no carrier side
   */
  readonly carrierSubnetCidr?: string;
  /** Availability zone of the subnets, e.g. `ap-northeast-1a`. */
  readonly availabilityZone: string;
  /** Archive that receives the VPC's flow logs, under the prefix it owns (`flowLogDestination()`). */
  readonly flowLogArchive: LogArchive;
}

/** The subnets a route can start from. */
export type SubnetSide = 'public' | 'backbone' | 'carrier';

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
  /** The carrier-side subnet (closed mobile access), when `carrierSubnetCidr` is given. */
  public readonly carrierSubnet?: Subnet;
  private readonly routeTables: Partial<Record<SubnetSide, RouteTable>>;

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
    new Route(this, 'PublicDefaultRoute', { routeTableId: this.routeTables.public!.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    if (props.carrierSubnetCidr !== undefined) {
      // A table of its own, never the public one: the carrier side must have no way to the internet.
      this.carrierSubnet = this.subnet('Carrier', `${props.name}-carrier`, props.carrierSubnetCidr, props.availabilityZone);
      this.routeTables.carrier = this.routeTable('Carrier', `${props.name}-carrier`, this.carrierSubnet);
    }

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
  public addRoute(from: SubnetSide, name: string, cidr: string, target: RouteTarget, dependsOn?: ITerraformDependable[]): Route {
    const check = new PropsCheck('IsolatedNetwork.addRoute', this);
    check.cidr('cidr', cidr);
    const table = this.routeTables[from];
    if (table === undefined) check.add('CP114', 'from', from, 'has no subnet in this network', 'public, backbone, or carrier when carrierSubnetCidr is given');
    check.done();
    return new Route(this, `Route-${from}-${idFrom(name)}`, {
      routeTableId: table!.id,
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
  const fields = props.carrierSubnetCidr === undefined ? (['publicSubnetCidr', 'backboneSubnetCidr'] as const) : (['publicSubnetCidr', 'backboneSubnetCidr', 'carrierSubnetCidr'] as const);
  const subnets = fields.map((field) => ({ field, cidr: check.cidr(field, props[field] as string) }));
  for (const { field, cidr } of subnets) {
    if (vpc !== undefined && cidr !== undefined && !contains(vpc, cidr)) check.add('CP106', field, cidr.text, 'is not inside the VPC', `a subnet of cidr ${vpc.text}`);
  }
  subnets.forEach((b, i) =>
    subnets.slice(0, i).forEach((a) => {
      if (a.cidr !== undefined && b.cidr !== undefined && overlaps(a.cidr, b.cidr)) check.add('CP107', b.field, b.cidr.text, `overlaps ${a.field}`, `a range apart from ${a.cidr.text}`);
    }),
  );
  check.matches('availabilityZone', props.availabilityZone, /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'an availability zone name such as ap-northeast-1a');
  check.done();
}
