import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ras } from './helpers/cli';
import { Workspace } from './helpers/workspace';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

/** Hash of every file under a folder, so "nothing changed" is checked byte for byte. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

test('synth writes one cdk.tf.json per example tenant and exits 0', async () => {
  const r = await ras(['synth'], ws.dir);
  expect(r.exitCode).toBe(0);
  for (const id of ['sakura-trading', 'kitakaze-logistics', 'minato-design']) {
    expect(existsSync(join(ws.dir, 'cdktf.out', 'stacks', id, 'cdk.tf.json'))).toBe(true);
  }
  expect(r.stdout).toContain('synthesized 4 of 4 tenant stack(s)');
  expect(readdirSync(ws.dir).filter((f) => f.startsWith('cdktf.out'))).toEqual(['cdktf.out']);
});

test.each([
  ['bad CIDR', ['gateway', 'clientPool'], '10.128.0.0/33', 'RAS110', 'gateway.clientPool'],
  ['region outside Japan', ['region'], 'eu-west-1', 'RAS101', 'region'],
  ['pool smaller than terminals', ['gateway', 'sizing', 'terminals'], 400, 'RAS120', 'gateway.clientPool'],
  ['VLAN shared with another tenant', ['network', 'vlanId'], 103, 'RAS130', 'network.vlanId'],
  ['unknown group in a rule', ['accessControl', 'rules', 0, 'userGroup'], 'nobody', 'RAS140', 'accessControl.rules[0].userGroup'],
])('a broken contract (%s) is refused with file, line and field; earlier output is untouched', async (_what, path, value, code, field) => {
  expect((await ras(['synth'], ws.dir)).exitCode).toBe(0);
  const before = treeHash(join(ws.dir, 'cdktf.out'));
  ws.edit('sakura-trading', path, value);
  const r = await ras(['synth'], ws.dir);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`tenants/sakura-trading\\.yaml:\\d+:\\d+ ${field.replace(/[[\].]/g, '\\$&')}: ${code} `));
  expect(r.stderr).toContain('Nothing was written.');
  expect(treeHash(join(ws.dir, 'cdktf.out'))).toBe(before);
  expect(readdirSync(ws.dir).filter((f) => f.startsWith('cdktf.out'))).toEqual(['cdktf.out']);
});

test('synth --tenant replaces only that stack and keeps the others and the manifest entries', async () => {
  expect((await ras(['synth'], ws.dir)).exitCode).toBe(0);
  const other = readFileSync(join(ws.dir, 'cdktf.out/stacks/kitakaze-logistics/cdk.tf.json'));
  ws.edit('sakura-trading', ['gateway', 'sizing', 'terminals'], 240);
  ws.edit('sakura-trading', ['gateway', 'sizing', 'requestsPerSecond'], 300);
  const r = await ras(['synth', '--tenant', 'sakura-trading'], ws.dir);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('synthesized 1 of 4');
  const sakura = JSON.parse(readFileSync(join(ws.dir, 'cdktf.out/stacks/sakura-trading/cdk.tf.json'), 'utf8'));
  expect(Object.values(sakura.resource.aws_instance as Record<string, { instance_type: string }>)[0].instance_type).toBe('c6i.xlarge');
  expect(readFileSync(join(ws.dir, 'cdktf.out/stacks/kitakaze-logistics/cdk.tf.json'))).toEqual(other);
  const manifest = JSON.parse(readFileSync(join(ws.dir, 'cdktf.out/manifest.json'), 'utf8'));
  // The fleet stacks of the whole-fleet synth stay too.
  expect(Object.keys(manifest.stacks).sort()).toEqual(['fleet_ap-northeast-1', 'fleet_ap-northeast-3', 'kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
});

test('usage errors exit 2; validate writes nothing', async () => {
  expect((await ras(['synth', '--no-such-option'], ws.dir)).exitCode).toBe(2);
  expect((await ras(['frobnicate'], ws.dir)).exitCode).toBe(2);
  const r = await ras(['validate'], ws.dir);
  expect(r.exitCode).toBe(0);
  expect(existsSync(join(ws.dir, 'cdktf.out'))).toBe(false);
});

test('an unknown tenant for --tenant is an error, not an empty success', async () => {
  const r = await ras(['synth', '--tenant', 'nobody'], ws.dir);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe('ras synth: unknown tenant(s): nobody');
});
