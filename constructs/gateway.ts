import { Eip } from '@cdktf/provider-aws/lib/eip';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { GatewayAlarms } from './gateway-alarms';
import { idFrom } from './ids';
import type { IsolatedNetwork } from './isolated-network';
import type { LogArchive } from './log-archive';
import { policyDocument } from './policy-document';
import type { TenantKey } from './tenant-key';
import { PropsCheck } from './validate';

/** A port (or protocol) the gateway serves or uses. `name` keys the rule's construct id. */
export interface ServicePort {
  /** Stable name, unique in its list (lower-case letters, digits, '.', '-'). */
  readonly name: string;
  /** `tcp`, `udp`, `icmp`, `-1` (all), or an IP protocol number 0-255 such as `47` (GRE). */
  readonly protocol: string;
  /**
   * Port 1-65535; only for `tcp` and `udp`.
   * @default - the whole protocol (only for protocols without ports, e.g. GRE)
   */
  readonly port?: number;
}

/** SSH and node_exporter, reachable from the operations network only. */
export const MANAGEMENT_PORTS: readonly ServicePort[] = [
  { name: 'ssh', protocol: 'tcp', port: 22 },
  { name: 'node-exporter', protocol: 'tcp', port: 9100 },
];

/** What the gateway itself needs from the internet: JST time and HTTPS (log shipping to S3, security updates). */
export const INTERNET_EGRESS: readonly ServicePort[] = [
  { name: 'ntp', protocol: 'udp', port: 123 },
  { name: 'https', protocol: 'tcp', port: 443 },
];

/** EBS gp3 volume sizes, GiB. */
export const GP3_MIN_GIB = 1;
export const GP3_MAX_GIB = 16384;

export interface GatewayProps {
  /** Name used in `Name` tags and IAM names (1-56 lower-case letters, digits and '-': IAM names add `-gateway`). */
  readonly name: string;
  /** The tenant's network; the gateway sits in its public subnet. */
  readonly network: IsolatedNetwork;
  /** Pinned hardened image id (`ami-...`); never looked up at plan time. */
  readonly imageId: string;
  /**
   * Fixed private address in the public subnet (IPv4), so the operations side knows it before apply.
   * @default - one AWS picks at launch
   */
  readonly privateAddress?: string;
  /** Instance type derived from the declared sizing, e.g. `c6i.large`. */
  readonly instanceType: string;
  /** Tenant key that encrypts the root volume. */
  readonly encryptionKey: TenantKey;
  /** What clients reach from the internet (derived from the enabled protocols). */
  readonly publicServices: readonly ServicePort[];
  /** Operations-management network (IPv4 CIDR): the only source of management traffic. */
  readonly managementCidr: string;
  /** @default MANAGEMENT_PORTS */
  readonly managementPorts?: readonly ServicePort[];
  /** Customer networks (IPv4 CIDRs, each once) the gateway forwards VPN traffic to (through the backbone). */
  readonly customerCidrs: readonly string[];
  /** @default INTERNET_EGRESS */
  readonly internetEgress?: readonly ServicePort[];
  /** Archive the gateway ships its logs to. */
  readonly logArchive: LogArchive;
  /** Prefixes the gateway may write to in the archive, nothing else; each has a retention rule there. */
  readonly logPrefixes: readonly string[];
  /** SNS topic the gateway's alarms notify. */
  readonly alarmTopicArn: string;
  /** Sustained bandwidth of the instance type (Mbit/s, above 0), for the network alarm. */
  readonly baselineMbps: number;
  /**
   * Refuse API termination and stop of the instance.
   * @default true
   */
  readonly protectFromTermination?: boolean;
  /**
   * Size of the encrypted gp3 root volume, whole GiB from 1 to 16384.
   * @default 20
   */
  readonly rootVolumeGiB?: number;
  /**
   * First-boot configuration (cloud-init user data, e.g. the operations accounts). Changing it
   * does not replace the instance: cloud-init runs once, and the playbook manages the accounts after.
   * @default - none
   */
  readonly userData?: string;
}

/**
 * The Type A gateway VM (CLD9.5.2): hardened image, IMDSv2 only, root volume encrypted with the
 * tenant key, a security group that opens only the VPN protocols to the internet and the
 * management ports to the operations network, an Elastic IP, an instance role that can only
 * write its own log prefixes, and alarms to the operations team.
 */
export class Gateway extends Construct {
  public readonly instance: Instance;
  public readonly securityGroup: SecurityGroup;
  public readonly role: IamRole;
  public readonly publicIp: Eip;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    validateProps(this, props);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-gateway`,
      description: 'RAS gateway: VPN protocols from the internet, management from operations only',
      vpcId: props.network.vpc.id,
      tags: { Name: `${props.name}-gateway` },
    });
    for (const service of props.publicServices) this.ingress(`internet-${service.name}`, '0.0.0.0/0', service);
    for (const service of props.managementPorts ?? MANAGEMENT_PORTS) this.ingress(`operations-${service.name}`, props.managementCidr, service);
    for (const service of props.internetEgress ?? INTERNET_EGRESS) this.egress(`internet-${service.name}`, '0.0.0.0/0', service);
    for (const cidr of props.customerCidrs) this.egress(`customer-${idFrom(cidr)}`, cidr, { name: 'all', protocol: '-1' });
    // The VPC resolver (base + 2) answers DNS for the gateway.
    this.egress('vpc-dns-udp', props.network.vpc.cidrBlock, { name: 'dns', protocol: 'udp', port: 53 });
    this.egress('vpc-dns-tcp', props.network.vpc.cidrBlock, { name: 'dns', protocol: 'tcp', port: 53 });

    this.role = new IamRole(this, 'Role', {
      name: `${props.name}-gateway`,
      description: 'RAS gateway instance role: writes its own log prefixes only',
      assumeRolePolicy: policyDocument([
        { Sid: 'Ec2Assume', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]),
    });
    props.logArchive.grantWrite('GatewayLogWrite', this.role, props.logPrefixes);
    const profile = new IamInstanceProfile(this, 'InstanceProfile', { name: `${props.name}-gateway`, role: this.role.name });

    const protect = props.protectFromTermination ?? true;
    this.instance = new Instance(this, 'Instance', {
      ami: props.imageId,
      instanceType: props.instanceType,
      subnetId: props.network.publicSubnet.id,
      privateIp: props.privateAddress,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: profile.name,
      // The gateway forwards packets between client pool and customer networks.
      sourceDestCheck: false,
      monitoring: true,
      userData: props.userData,
      userDataReplaceOnChange: false,
      ebsOptimized: true,
      disableApiTermination: protect,
      disableApiStop: protect,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      rootBlockDevice: {
        encrypted: true,
        kmsKeyId: props.encryptionKey.arn,
        volumeType: 'gp3',
        volumeSize: props.rootVolumeGiB ?? 20,
        deleteOnTermination: true,
      },
      tags: { Name: `${props.name}-gateway` },
    });
    this.publicIp = new Eip(this, 'PublicIp', { domain: 'vpc', instance: this.instance.id, tags: { Name: `${props.name}-gateway` } });
    new GatewayAlarms(this, 'Alarms', {
      name: props.name,
      instanceId: this.instance.id,
      topicArn: props.alarmTopicArn,
      baselineMbps: props.baselineMbps,
    });
  }

  /** The primary interface, as a route target for the client pool. */
  public get networkInterfaceId(): string {
    return this.instance.primaryNetworkInterfaceId;
  }

  private ingress(id: string, cidr: string, service: ServicePort): void {
    new VpcSecurityGroupIngressRule(this, `Ingress-${id}`, { securityGroupId: this.securityGroup.id, cidrIpv4: cidr, ...portRange(service), description: id });
  }

  private egress(id: string, cidr: string, service: ServicePort): void {
    new VpcSecurityGroupEgressRule(this, `Egress-${id}`, { securityGroupId: this.securityGroup.id, cidrIpv4: cidr, ...portRange(service), description: id });
  }
}

function portRange(s: ServicePort): { ipProtocol: string; fromPort?: number; toPort?: number } {
  return s.port === undefined ? { ipProtocol: s.protocol } : { ipProtocol: s.protocol, fromPort: s.port, toPort: s.port };
}

function validateProps(gateway: Gateway, props: GatewayProps): void {
  const check = new PropsCheck('Gateway', gateway);
  check.matches('name', props.name, /^[a-z0-9][a-z0-9-]{0,55}$/, "1-56 characters: lower-case letters, digits and '-', starting with a letter or digit");
  check.matches('imageId', props.imageId, /^ami-[0-9a-f]{8,17}$/, 'an AMI id, ami- and 8-17 hex digits');
  if (props.privateAddress !== undefined) check.matches('privateAddress', props.privateAddress, IPV4, 'an IPv4 address a.b.c.d');
  check.matches('instanceType', props.instanceType, /^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/, 'an EC2 instance type, <family>.<size> such as c6i.large');
  check.integer('rootVolumeGiB', props.rootVolumeGiB, GP3_MIN_GIB, GP3_MAX_GIB, `whole GiB from ${GP3_MIN_GIB} to ${GP3_MAX_GIB} (EBS gp3)`);
  check.cidr('managementCidr', props.managementCidr);
  props.customerCidrs.forEach((c, i) => check.cidr(`customerCidrs[${i}]`, c));
  check.unique(props.customerCidrs, (i) => `customerCidrs[${i}]`, (c) => c, 'CIDR');
  checkServicePorts(check, 'publicServices', props.publicServices);
  checkServicePorts(check, 'managementPorts', props.managementPorts ?? []);
  checkServicePorts(check, 'internetEgress', props.internetEgress ?? []);
  props.logPrefixes.forEach((p, i) => check.keyPrefix(`logPrefixes[${i}]`, p));
  props.logArchive.checkRetained(check, (i) => `logPrefixes[${i}]`, props.logPrefixes);
  check.arn('alarmTopicArn', props.alarmTopicArn, 'sns');
  check.positive('baselineMbps', props.baselineMbps, 'Mbit/s');
  check.done();
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const PROTOCOL = /^(tcp|udp|icmp|icmpv6|-1|25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function checkServicePorts(check: PropsCheck, field: string, ports: readonly ServicePort[]): void {
  ports.forEach((s, i) => {
    check.stableName(`${field}[${i}].name`, s.name);
    check.matches(`${field}[${i}].protocol`, s.protocol, PROTOCOL, 'tcp, udp, icmp, icmpv6, -1 (all) or an IP protocol number 0-255');
    if (s.port === undefined) return;
    check.integer(`${field}[${i}].port`, s.port, 1, 65535);
    if (PROTOCOL.test(s.protocol) && s.protocol !== 'tcp' && s.protocol !== 'udp') check.add('CP113', `${field}[${i}].port`, s.port, `is given for protocol ${s.protocol}`, 'a port only with tcp or udp; leave it out for other protocols');
  });
  check.unique(ports, (i) => `${field}[${i}].name`, (s) => s.name, 'name');
}
