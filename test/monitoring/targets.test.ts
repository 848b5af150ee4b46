/**
 * The scrape targets come from the synthesized output (the instance's fixed address, node_exporter's
 * port as Ansible will set it, the security group rule that lets operations reach it), the folder
 * is written whole or not at all, and twice the same input gives the same bytes.
 */
import { appendFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MonitoringOutputError, writeFleetMonitoring } from '../../monitoring/write';
import { synthTenants } from '../../stacks/synth';
import { filesUnder } from '../helpers/files';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
let out: string;
beforeAll(() => {
  ws = new Workspace();
  out = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir: out, fleetOutputs: (d) => void writeFleetMonitoring(d) });
});
afterAll(() => ws.remove());

const tf = (id: string) => JSON.parse(readFileSync(join(out, 'stacks', id, 'cdk.tf.json'), 'utf8'));
const snapshot = () => filesUnder(join(out, 'monitoring'));

test('one file_sd target per active gateway: the address Terraform pins, the port node_exporter listens on, tenant and size class', () => {
  // Type B (tsubame-travel) is a gateway too: its relay is monitored like a VPN gateway.
  expect(readdirSync(join(out, 'monitoring', 'targets')).sort()).toEqual(['kitakaze-logistics.json', 'sakura-trading.json', 'tsubame-travel.json']);
  for (const id of ['kitakaze-logistics', 'sakura-trading', 'tsubame-travel']) {
    const instance = Object.values(tf(id).resource.aws_instance)[0] as Record<string, unknown>;
    const [group] = JSON.parse(readFileSync(join(out, 'monitoring', 'targets', `${id}.json`), 'utf8'));
    // 9100: the monitoring role's default (nothing overrides it), which the security group opens to operations.
    expect(group.targets).toEqual([`${instance.private_ip as string}:9100`]);
    expect(group.labels.tenant).toBe(id);
    expect(group.labels.instance_type).toBe(instance.instance_type);
  }
  expect(JSON.parse(readFileSync(join(out, 'monitoring', 'targets', 'sakura-trading.json'), 'utf8'))[0].labels).toEqual({
    tenant: 'sakura-trading',
    size_class: 'small',
    region: 'ap-northeast-1',
    instance_type: 'c6i.large',
  });
  // The private address is a literal in the stack (not known only after apply), inside the public subnet.
  expect(Object.values(tf('sakura-trading').resource.aws_instance)[0]).toMatchObject({ private_ip: '10.64.0.10' });
  expect(Object.values(tf('sakura-trading').resource.aws_subnet).map((s) => (s as { cidr_block: string }).cidr_block)).toContain('10.64.0.0/26');
});

test('the same output gives the same bytes', () => {
  const before = snapshot();
  writeFleetMonitoring(out);
  expect(snapshot()).toEqual(before);
});

test('a port the gateway variables move without the security group following is refused, and the previous folder stays', () => {
  const before = snapshot();
  const hostVars = join(out, 'stacks', 'sakura-trading', 'ansible', 'host_vars', 'sakura-trading-gateway.yml');
  const original = readFileSync(hostVars, 'utf8');
  try {
    appendFileSync(hostVars, 'monitoring_port: 9200\n');
    expect(() => writeFleetMonitoring(out)).toThrow(MonitoringOutputError);
    expect(() => writeFleetMonitoring(out)).toThrow(/sakura-trading: no security group ingress rule opens tcp\/9200/);
    expect(snapshot()).toEqual(before);
  } finally {
    writeFileSync(hostVars, original);
  }
});

test('a gateway whose address Terraform would choose at apply cannot be a target: refused, naming the resource', () => {
  const file = join(out, 'stacks', 'kitakaze-logistics', 'cdk.tf.json');
  const original = readFileSync(file, 'utf8');
  try {
    const json = JSON.parse(original);
    for (const i of Object.values(json.resource.aws_instance) as Record<string, unknown>[]) delete i.private_ip;
    writeFileSync(file, JSON.stringify(json));
    expect(() => writeFleetMonitoring(out)).toThrow(/aws_instance\.Gateway_Instance_[A-Z0-9]+\.private_ip is undefined; a fixed IPv4 address is needed/);
  } finally {
    writeFileSync(file, original);
  }
});

test('a one-tenant synth re-reads only that tenant: the result equals a whole rewrite, and a removed stack loses its target', () => {
  const whole = snapshot();
  synthTenants({ paths: ws.paths, outdir: out, only: ['sakura-trading'], fleetOutputs: (d, _f, only) => void writeFleetMonitoring(d, { only }) });
  expect(snapshot()).toEqual(whole);

  const kept = join(ws.dir, 'kitakaze-stack');
  renameSync(join(out, 'stacks', 'kitakaze-logistics'), kept);
  try {
    writeFleetMonitoring(out, { only: ['kitakaze-logistics'] });
    expect(readdirSync(join(out, 'monitoring', 'targets')).sort()).toEqual(['sakura-trading.json', 'tsubame-travel.json']);
    expect(snapshot().get('targets/sakura-trading.json')).toEqual(whole.get('targets/sakura-trading.json'));
  } finally {
    renameSync(kept, join(out, 'stacks', 'kitakaze-logistics'));
    writeFleetMonitoring(out);
  }
  expect(snapshot()).toEqual(whole);
});
