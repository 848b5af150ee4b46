import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { WIDEST_CARRIER_PREFIX } from '../commitments';
import type { Gateway, ServicePort } from './gateway';
import { idFrom } from './ids';
import type { IsolatedNetwork } from './isolated-network';
import { PropsCheck } from './validate';

/** IKE and NAT-T: carrier devices sit behind the carrier's NAT, so ESP always rides in UDP 4500. */
export const CARRIER_SERVICES: readonly ServicePort[] = [
  { name: 'ike', protocol: 'udp', port: 500 },
  { name: 'ipsec-nat-t', protocol: 'udp', port: 4500 },
];

export interface CarrierInterfaceProps {
  /** Name used in `Name` tags and the security group's name. */
  readonly name: string;
  /** The tenant network; it must have a carrier subnet (`carrierSubnetCidr`). */
  readonly network: IsolatedNetwork;
  /** The gateway the interface is attached to (as its second interface). */
  readonly gateway: Gateway;
  /** Fixed address of the interface in the carrier subnet (IPv4): strongSwan binds the carrier connection to it. */
  readonly privateAddress: string;
  /** The carrier's device ranges (IPv4 CIDRs, /8 or narrower, each once): the only sources admitted. */
  readonly carrierCidrs: readonly string[];
  /** @default CARRIER_SERVICES */
  readonly services?: readonly ServicePort[];
}

/**
 * The gateway's carrier-side interface for closed mobile access: an interface in the carrier
 * subnet (whose route table reaches only the carrier ranges), no public address, source/destination
 * check kept on (it forwards nothing), and a security group of its own that admits IKE and NAT-T
 * from the carrier ranges only and has no egress rule (replies pass statefully; the gateway never
 * opens anything towards the carrier). The carrier attachment's own transit gateway table, which
 * leads back to the tenants, is the provider's side (like the backbone's).
 */
export class CarrierInterface extends Construct {
  public readonly securityGroup: SecurityGroup;
  public readonly networkInterface: NetworkInterface;

  constructor(scope: Construct, id: string, props: CarrierInterfaceProps) {
    super(scope, id);
    validateProps(this, props);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-gateway-carrier`,
      description: 'RAS gateway carrier side: IKE and NAT-T from the carrier ranges only',
      vpcId: props.network.vpc.id,
      tags: { Name: `${props.name}-gateway-carrier` },
    });
    for (const cidr of props.carrierCidrs) {
      for (const s of props.services ?? CARRIER_SERVICES) {
        const ruleId = `carrier-${idFrom(cidr)}-${s.name}`;
        new VpcSecurityGroupIngressRule(this, `Ingress-${ruleId}`, {
          securityGroupId: this.securityGroup.id,
          cidrIpv4: cidr,
          ipProtocol: s.protocol,
          fromPort: s.port,
          toPort: s.port,
          description: ruleId,
        });
      }
    }
    this.networkInterface = new NetworkInterface(this, 'Interface', {
      subnetId: props.network.carrierSubnet!.id,
      privateIps: [props.privateAddress],
      securityGroups: [this.securityGroup.id],
      sourceDestCheck: true,
      description: 'RAS gateway carrier side (closed mobile access)',
      // Attached inline, not by a separate attachment resource: a rebuilt instance then re-attaches
      // the same interface in place (one update the plan review classifies like Terraform does).
      attachment: [{ instance: props.gateway.instance.id, deviceIndex: 1 }],
      tags: { Name: `${props.name}-gateway-carrier` },
    });
  }
}

function validateProps(carrier: CarrierInterface, props: CarrierInterfaceProps): void {
  const check = new PropsCheck('CarrierInterface', carrier);
  if (props.network.carrierSubnet === undefined) check.add('CP114', 'network', 'no carrier subnet', 'has no carrier subnet', 'an IsolatedNetwork made with carrierSubnetCidr');
  check.matches('privateAddress', props.privateAddress, /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, 'an IPv4 address a.b.c.d');
  if (props.carrierCidrs.length === 0) check.add('CP114', 'carrierCidrs', '[]', 'is empty', 'at least one carrier range');
  props.carrierCidrs.forEach((c, i) => {
    const cidr = check.cidr(`carrierCidrs[${i}]`, c);
    if (cidr !== undefined && cidr.prefix < WIDEST_CARRIER_PREFIX) check.add('CP115', `carrierCidrs[${i}]`, c, `is wider than /${WIDEST_CARRIER_PREFIX}`, 'the carrier device ranges only, /8 or narrower');
  });
  check.unique(props.carrierCidrs, (i) => `carrierCidrs[${i}]`, (c) => c, 'CIDR');
  (props.services ?? []).forEach((s, i) => check.stableName(`services[${i}].name`, s.name));
  check.done();
}
