/**
 * Where the operations side scrapes a tenant's gateway, read from what synth rendered: the
 * instance's fixed private address and type (cdk.tf.json), node_exporter's port as Ansible will
 * set it (the monitoring role's `monitoring_port`, role default < group_vars < host_vars), and the
 * security group rule that must let the operations network reach that port. Never re-derived from
 * the contract: a target is what will really be deployed, or a problem.
 */
import { SIZE_CLASSES, type SizeClass } from '../lib/sizing';
import { mergedVariables } from './gateway-variables';
import type { StackOutput } from './read';
import { awsProvider, isReference, resourcesIn } from './terraform';

/** The monitoring role's variable for node_exporter's port (ansible/roles/monitoring/defaults). */
export const MONITORING_PORT_VARIABLE = 'monitoring_port';
/** The Ansible variable that allows only the operations network to scrape (same role). */
export const MONITORING_CIDR_VARIABLE = 'monitoring_operations_cidr';

export interface ScrapeTarget {
  readonly tenant: string;
  /** `address:port` of node_exporter. */
  readonly target: string;
  readonly region: string;
  readonly instanceType: string;
  readonly sizeClass: SizeClass;
  /** The Terraform address of the instance, for messages. */
  readonly instanceAddress: string;
}

export type ScrapeTargetResult =
  | { readonly kind: 'target'; readonly target: ScrapeTarget }
  /** No gateway to scrape (terminated tenant, Type B without rendered configuration). */
  | { readonly kind: 'none'; readonly tenant: string; readonly reason: string }
  /** A gateway that cannot be scraped as rendered: fail, never leave it unwatched. */
  | { readonly kind: 'problem'; readonly tenant: string; readonly message: string };

export function scrapeTarget(stack: StackOutput): ScrapeTargetResult {
  const tenant = stack.id;
  const problem = (message: string): ScrapeTargetResult => ({ kind: 'problem', tenant, message: `${stack.dir}: ${message}` });
  const instances = resourcesIn(stack.tf).filter((r) => r.type === 'aws_instance');
  if (instances.length === 0) return { kind: 'none', tenant, reason: 'no gateway instance' };
  if (instances.length > 1) return problem(`${instances.length} aws_instance resources; one gateway per tenant expected`);
  const instance = instances[0];
  if (stack.gatewayLayers === undefined) return { kind: 'none', tenant, reason: 'no gateway configuration rendered (node_exporter is not set up)' };

  const address = instance.config.private_ip;
  if (typeof address !== 'string' || isReference(address) || !/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
    return problem(`${instance.address}.private_ip is ${JSON.stringify(address)}; a fixed IPv4 address is needed to scrape the gateway`);
  }
  const instanceType = instance.config.instance_type;
  const sizeClass = SIZE_CLASSES.find((c) => c.instanceType === instanceType);
  if (sizeClass === undefined) return problem(`${instance.address}.instance_type ${JSON.stringify(instanceType)} is no size class's instance type`);
  const region = awsProvider(stack.tf).region;
  if (typeof region !== 'string') return problem('the AWS provider names no region');

  const { merged } = mergedVariables(stack.gatewayLayers);
  const port = merged[MONITORING_PORT_VARIABLE];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return problem(`gateway variable ${MONITORING_PORT_VARIABLE} is ${JSON.stringify(port)}; a port 1-65535 is needed`);
  }
  const cidr = merged[MONITORING_CIDR_VARIABLE];
  if (!opensFrom(stack, cidr, port)) {
    return problem(`no security group ingress rule opens tcp/${port} (node_exporter) to ${MONITORING_CIDR_VARIABLE} ${JSON.stringify(cidr)}`);
  }
  return { kind: 'target', target: { tenant, target: `${address}:${port}`, region, instanceType: instanceType as string, sizeClass, instanceAddress: instance.address } };
}

/** An ingress rule letting `cidr` reach tcp/`port` (exactly that range or one holding it). */
function opensFrom(stack: StackOutput, cidr: unknown, port: number): boolean {
  if (typeof cidr !== 'string') return false;
  return resourcesIn(stack.tf).some((r) => {
    if (r.type !== 'aws_vpc_security_group_ingress_rule') return false;
    const c = r.config;
    return c.cidr_ipv4 === cidr && c.ip_protocol === 'tcp' && typeof c.from_port === 'number' && typeof c.to_port === 'number' && c.from_port <= port && port <= c.to_port;
  });
}
