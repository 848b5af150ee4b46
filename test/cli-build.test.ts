import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ras } from './helpers/cli';
import { REPO, Workspace } from './helpers/workspace';

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace();
});
afterAll(() => ws.remove());

test('ras build synthesizes, renders the gateway configuration, writes the reports and passes on the examples', async () => {
  const r = await ras(['build'], ws.dir);
  expect(r.stderr).toContain('report file(s) written');
  expect(r.stdout).toContain('checked 4 tenant(s): 4 passed, 0 failed');
  expect(r.exitCode).toBe(0);
  expect(existsSync(join(ws.dir, 'reports', 'sakura-trading', 'report.ja.html'))).toBe(true);
  // Only active Type A gateways get a configuration; the terminated tenant has no gateway.
  expect(existsSync(join(ws.dir, 'cdktf.out/stacks/sakura-trading/ansible/inventory.yml'))).toBe(true);
  expect(existsSync(join(ws.dir, 'cdktf.out/stacks/minato-design/ansible'))).toBe(false);
});

test('the Terraform hand-off re-runs the playbook exactly when the rendered files change', async () => {
  const stackDir = join(ws.dir, 'cdktf.out/stacks/sakura-trading');
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const [playbook] = Object.values(stack.resource.terraform_data as Record<string, any>);
  const files = ['ansible/inventory.yml', 'ansible/host_vars/sakura-trading-gateway.yml'].map((f) => readFileSync(join(stackDir, f)));
  const hash = createHash('sha256').update(files[0]).update(files[1]).digest('hex');
  expect(playbook.triggers_replace.configuration).toBe(hash);
  expect(playbook.triggers_replace.instance).toMatch(/^\$\{aws_instance\.Gateway_Instance_\w+\.id\}$/);
  // No shell: the interpreter is ansible-playbook's own argv; the playbook path is its last argument.
  const exec = playbook.provisioner[0]['local-exec'];
  expect(exec.interpreter).toEqual(['ansible-playbook', '--inventory', 'ansible/inventory.yml', '--user', 'rasops']);
  expect(exec.command).toBe('../../../ansible/site.yml');
  // Relative to where `cdktf deploy` runs Terraform: <repo>/cdktf.out/stacks/<tenant>/.
  expect(join(REPO, 'cdktf.out/stacks/sakura-trading', exec.command)).toBe(join(REPO, 'ansible/site.yml'));
  expect(existsSync(join(REPO, 'ansible/site.yml'))).toBe(true);
});

test('a tenant change that alters the gateway configuration changes the trigger', async () => {
  const before = JSON.parse(readFileSync(join(ws.dir, 'cdktf.out/stacks/sakura-trading/cdk.tf.json'), 'utf8'));
  ws.edit('sakura-trading', ['accessControl', 'userGroups', 1, 'members', 1], 'erin@sakura-trading.example');
  expect((await ras(['synth', '--tenant', 'sakura-trading'], ws.dir)).exitCode).toBe(0);
  const after = JSON.parse(readFileSync(join(ws.dir, 'cdktf.out/stacks/sakura-trading/cdk.tf.json'), 'utf8'));
  const trigger = (j: any) => (Object.values(j.resource.terraform_data)[0] as any).triggers_replace.configuration;
  expect(trigger(after)).not.toBe(trigger(before));
});

test.each([
  ['RAS_SYNTH_WORKERS', 'many', 'RAS_SYNTH_WORKERS must be a whole number'],
  ['RAS_WORKER_HEAP_MB', '1', 'RAS_WORKER_HEAP_MB must be a whole number >= 16'],
])('a bad %s is refused before anything is built, though the build would start no worker', async (name, value, message) => {
  // The examples' four tenants are built on this thread: the setting is checked all the same.
  const r = await ras(['build', '--quiet', '--out', 'bad-workers'], ws.dir, { [name]: value });
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain(message);
  expect(existsSync(join(ws.dir, 'bad-workers'))).toBe(false);
});
