/**
 * The network the gateway lives in, built from network namespaces joined by veth pairs:
 *
 *   client namespaces ── bridge "inet" (198.51.100.0/24) ── gw ── backbone (10.99.0.0/24;
 *                                                             │    customer hosts 172.16.x.10)
 *                                                             ├── ops (operations CIDR 10.255.0.0/24)
 *                                                             └── carrier (closed mobile; only when a test adds it)
 *
 * Addresses live only inside the namespaces; nothing touches the host's interfaces.
 */
import { must, run } from './run';

export const ADDR = {
  gwInternet: '198.51.100.1',
  gwBackbone: '10.99.0.1',
  backbone: '10.99.0.2',
  gwOps: '10.255.0.1',
  ops: '10.255.0.10',
  customerHosts: ['172.16.10.10', '172.16.20.10'],
} as const;

/**
 * The first host address of each network as a /32 on namespace `ns`'s loopback: kernel-libipsec
 * sources a gateway's return traffic from its local traffic selectors (see gateway.test.ts).
 */
export function addLoopbackAddresses(ns: string, cidrs: readonly string[]): void {
  for (const c of cidrs) {
    const [a, b, cc, d] = c.split('/')[0].split('.').map(Number);
    must(['ip', '-n', ns, 'addr', 'add', `${a}.${b}.${cc}.${d + 1}/32`, 'dev', 'lo']);
  }
}

export class Topology {
  readonly created: string[] = [];
  readonly gw: string;
  readonly backbone: string;
  readonly ops: string;

  constructor(private readonly prefix: string) {
    this.gw = `${prefix}gw`;
    this.backbone = `${prefix}bb`;
    this.ops = `${prefix}ops`;
  }

  private ns(name: string): string {
    must(['ip', 'netns', 'add', name]);
    this.created.push(name);
    must(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
    // The service is IPv4 only; IPv6 link-local chatter would only add noise to the logs.
    must(['ip', 'netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    return name;
  }

  private link(a: string, aIf: string, b: string, bIf: string): void {
    must(['ip', '-n', a, 'link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf, 'netns', b]);
    must(['ip', '-n', a, 'link', 'set', aIf, 'up']);
    must(['ip', '-n', b, 'link', 'set', bIf, 'up']);
  }

  build(clientPool: string): void {
    this.ns(this.gw);
    this.ns(this.backbone);
    this.ns(this.ops);
    must(['ip', '-n', this.gw, 'link', 'add', 'inet', 'type', 'bridge']);
    must(['ip', '-n', this.gw, 'addr', 'add', `${ADDR.gwInternet}/24`, 'dev', 'inet']);
    must(['ip', '-n', this.gw, 'link', 'set', 'inet', 'up']);

    this.link(this.gw, 'bb', this.backbone, 'eth0');
    must(['ip', '-n', this.gw, 'addr', 'add', `${ADDR.gwBackbone}/24`, 'dev', 'bb']);
    must(['ip', '-n', this.backbone, 'addr', 'add', `${ADDR.backbone}/24`, 'dev', 'eth0']);
    for (const h of ADDR.customerHosts) must(['ip', '-n', this.backbone, 'addr', 'add', `${h}/24`, 'dev', 'eth0']);
    // The backbone reaches the client pool through the gateway (no masquerading: the
    // customer sees each client's own address).
    must(['ip', '-n', this.backbone, 'route', 'add', clientPool, 'via', ADDR.gwBackbone]);
    for (const h of ['172.16.10.0/24', '172.16.20.0/24']) must(['ip', '-n', this.gw, 'route', 'replace', h, 'via', ADDR.backbone]);

    this.link(this.gw, 'ops', this.ops, 'eth0');
    must(['ip', '-n', this.gw, 'addr', 'add', `${ADDR.gwOps}/24`, 'dev', 'ops']);
    must(['ip', '-n', this.ops, 'addr', 'add', `${ADDR.ops}/24`, 'dev', 'eth0']);
    must(['ip', 'netns', 'exec', this.gw, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  }

  /** Host addresses (/32, first of each network) on the gateway's loopback (this kernel has no dummy interfaces). */
  addLocalAddresses(cidrs: readonly string[]): void {
    addLoopbackAddresses(this.gw, cidrs);
  }

  /** A client namespace on the "internet" bridge; returns its name. */
  addClient(short: string, address: string): string {
    const name = this.ns(`${this.prefix}${short}`);
    const gwIf = `c-${short}`.slice(0, 15);
    this.link(this.gw, gwIf, name, 'eth0');
    must(['ip', '-n', this.gw, 'link', 'set', gwIf, 'master', 'inet']);
    must(['ip', '-n', name, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    return name;
  }

  /**
   * The carrier's closed network (closed mobile access): a namespace for the carrier's devices,
   * joined to the gateway's carrier-side interface only. The device's one way out is the gateway
   * (default route), as through the carrier attachment: whatever it sends elsewhere reaches the
   * gateway's forward chain, so a test can see where it goes. Returns the namespace's name.
   */
  addCarrier(gatewayAddress: string, carrierCidrs: readonly string[], deviceAddress: string): string {
    const name = this.ns(`${this.prefix}carrier`);
    // "carrier" is an ip-link keyword: the interface is carrier0.
    this.link(this.gw, 'carrier0', name, 'eth0');
    must(['ip', '-n', this.gw, 'addr', 'add', `${gatewayAddress}/32`, 'dev', 'carrier0']);
    for (const c of carrierCidrs) must(['ip', '-n', this.gw, 'route', 'add', c, 'dev', 'carrier0']);
    must(['ip', '-n', name, 'addr', 'add', `${deviceAddress}/32`, 'dev', 'eth0']);
    must(['ip', '-n', name, 'route', 'add', `${gatewayAddress}/32`, 'dev', 'eth0']);
    must(['ip', '-n', name, 'route', 'add', 'default', 'via', gatewayAddress, 'dev', 'eth0']);
    return name;
  }

  destroy(): string[] {
    const problems: string[] = [];
    for (const n of [...this.created].reverse()) {
      const r = run(['ip', 'netns', 'del', n]);
      if (r.status !== 0) problems.push(`ip netns del ${n}: ${r.stderr.trim()}`);
    }
    this.created.length = 0;
    return problems;
  }
}
