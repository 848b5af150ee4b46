/**
 * The device ledger keeps the contract events' guarantees: a writer killed (SIGKILL) at the
 * test-only pause points leaves the old or the new ledger whole, the next change completes or
 * undoes it (files, audit line, CRL), and the tenant lock serializes concurrent issues.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAudit } from '../../events/audit';
import type { PauseStage } from '../../events/test-hooks';
import { filesUnder, makeDeviceFixture, openssl, type DeviceFixture } from './helpers/fixture';

let fx: DeviceFixture;
beforeEach(() => {
  fx = makeDeviceFixture();
});
afterEach(() => fx.cleanup());

const ledger = (): { version: number; devices: Record<string, { certs: { serial: string; status: string }[] }> } =>
  JSON.parse(readFileSync(join(fx.state, 'devices', 'ledgers', 'sakura-trading.json'), 'utf8'));
// Tenant changes only (the fleet root's creation is logged once too, without a tenant).
const audit = () => readAudit(join(fx.state, 'devices', 'audit.jsonl')).filter((a) => a.tenant !== undefined);
const issue = (device: string, identity = 'alice@sakura-trading.example'): string[] => ['issue', ...fx.common(), '--device', device, '--identity', identity];

async function killAt(args: string[], stage: PauseStage): Promise<void> {
  const marker = join(fx.root, `paused-${stage}`);
  const child = spawn(process.execPath, [join(__dirname, 'helpers', 'device-cli.js'), ...args], {
    cwd: fx.root,
    env: { ...process.env, RAS_TEST_PAUSE_AT: stage, RAS_TEST_PAUSE_MARKER: marker },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
  const deadline = Date.now() + 60_000;
  while (!existsSync(marker)) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before ${stage}`);
    if (Date.now() > deadline) throw new Error(`never reached ${stage}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

it('killed before the ledger rename: nothing happened; the next change removes the dead writer’s files and proceeds', async () => {
  expect((await fx.run(issue('laptop'))).code).toBe(0);
  await killAt(issue('tablet'), 'before-rename');
  expect(Object.keys(ledger().devices)).toEqual(['laptop']);
  expect(existsSync(join(fx.secrets, 'sakura-trading', 'devices', 'tablet'))).toBe(true); // the dead writer's key
  expect(existsSync(join(fx.state, 'devices', 'pending', 'sakura-trading.json'))).toBe(true);

  const next = await fx.run(issue('phone', 'bob@sakura-trading.example'));
  expect(next.stderr).toBe('');
  expect(next.code).toBe(0);
  expect(Object.keys(ledger().devices).sort()).toEqual(['laptop', 'phone']);
  expect(filesUnder(join(fx.secrets, 'sakura-trading', 'devices', 'tablet'))).toEqual([]);
  expect(filesUnder(join(fx.state, 'devices')).filter((f) => f.endsWith('.tmp') || f.includes('pending/'))).toEqual([]);
  expect(audit().filter((a) => a.outcome === 'applied').map((a) => a.kind)).toEqual(['device-issued', 'device-issued']);
  // The retry of the dead issue works.
  expect((await fx.run(issue('tablet'))).code).toBe(0);
});

it('killed after the ledger rename: the next change completes the audit line and re-signs the CRL', async () => {
  expect((await fx.run(issue('laptop'))).code).toBe(0);
  await killAt(['revoke', ...fx.common(), '--device', 'laptop'], 'after-rename');
  expect(ledger().devices.laptop.certs[0].status).toBe('revoked');
  const crl = join(fx.pub('sakura-trading'), 'crl.pem');
  const serial = ledger().devices.laptop.certs[0].serial.toUpperCase();
  expect(openssl(['crl', '-in', crl, '-noout', '-text']).out).not.toContain(serial); // the dead writer never re-signed

  expect((await fx.run(['list', ...fx.common()])).code).toBe(0); // reading does not recover
  const next = await fx.run(issue('phone', 'bob@sakura-trading.example'));
  expect(next.code).toBe(0);
  expect(openssl(['crl', '-in', crl, '-noout', '-text']).out).toContain(serial);
  expect(audit().filter((a) => a.outcome === 'applied').map((a) => [a.kind, a.recovered ?? false])).toEqual([
    ['device-issued', false],
    ['device-revoked', true],
    ['device-issued', false],
  ]);
});

it('the tenant lock serializes concurrent issues: none is lost', async () => {
  const members = ['alice@sakura-trading.example', 'bob@sakura-trading.example', 'carol@sakura-trading.example', 'alice@sakura-trading.example'];
  const results = await Promise.all(members.map((m, i) => fx.run(issue(`dev${i}`, m))));
  expect(results.map((r) => [r.code, r.stderr])).toEqual(members.map(() => [0, '']));
  const l = ledger();
  expect(l.version).toBe(4);
  expect(Object.keys(l.devices).sort()).toEqual(['dev0', 'dev1', 'dev2', 'dev3']);
  expect(audit().filter((a) => a.outcome === 'applied').map((a) => a.version)).toEqual([1, 2, 3, 4]);
  const serials = Object.values(l.devices).map((d) => d.certs[0].serial);
  expect(new Set(serials).size).toBe(4);
});
