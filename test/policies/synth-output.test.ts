/** What the synth adds for the rules: portal.json (no secrets, no e-mail addresses) and the facts carried in default tags. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthTenants } from '../../stacks/synth';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
let out: string;
beforeAll(() => {
  ws = new Workspace();
  out = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir: out });
});
afterAll(() => ws.remove());

const tf = (id: string) => JSON.parse(readFileSync(join(out, 'stacks', id, 'cdk.tf.json'), 'utf8'));
const tags = (id: string) => tf(id).provider.aws[0].default_tags[0].tags;

test('portal.json holds the portal security settings and operator roles, without e-mail addresses', () => {
  const text = readFileSync(join(out, 'stacks', 'sakura-trading', 'portal.json'), 'utf8');
  expect(JSON.parse(text)).toEqual({
    tenant: 'sakura-trading',
    twoFactorRequired: true,
    allowedSourceCidrs: ['203.0.113.0/28'],
    lockoutThreshold: 5,
    operators: [
      { id: 'it-admin', role: 'administrator', emailRegistered: true },
      { id: 'helpdesk', role: 'operator', emailRegistered: true },
    ],
  });
  expect(text).not.toContain('@');
});

test('default tags carry gateway type, linked service, declared sizing and the termination date', () => {
  expect(tags('sakura-trading')).toMatchObject({ 'ras:gateway-type': 'A', 'ras:linked-service': 'private-backbone', 'ras:declared-terminals': '200', 'ras:declared-rps': '150' });
  expect(tags('sakura-trading')['ras:termination-date']).toBeUndefined();
  expect(tags('kitakaze-logistics')).toMatchObject({ 'ras:linked-service': 'managed-vpn-pro', 'ras:iso27017-scope': 'out-of-scope' });
  expect(tags('minato-design')).toMatchObject({ 'ras:status': 'terminated', 'ras:termination-date': '2026-11-15' });
});
