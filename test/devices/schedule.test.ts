/**
 * The CRL is re-signed on schedule: `ras device crl --all` re-signs every tenant with device
 * records (one failure does not stop the others), and the operations host's systemd timer runs it
 * daily, well inside the CRL's 7 days. The units are checked by systemd's own parser
 * (`systemd-analyze verify`) and their calendar by `systemd-analyze calendar`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CRL_VALIDITY_DAYS } from '../../devices/ca';
import { DevicePaths } from '../../devices/store';
import { makeDeviceFixture, openssl, REPO, type DeviceFixture } from './helpers/fixture';

const UNITS = join(REPO, 'ops', 'systemd');
let fx: DeviceFixture;

beforeAll(async () => {
  fx = makeDeviceFixture();
  expect((await fx.run(['issue', ...fx.common(), '--device', 'laptop', '--identity', 'alice@sakura-trading.example'])).code).toBe(0);
}, 120_000);
afterAll(() => fx.cleanup());

const crlNumber = (): number => Number(/X509v3 CRL Number:\s*\n\s*(\d+)/.exec(openssl(['crl', '-in', join(fx.pub('sakura-trading'), 'crl.pem'), '-noout', '-text']).out)![1]);
const all = (state = fx.state): string[] => ['crl', '--all', '--secrets', fx.secrets, '--state', state];

test('crl --all re-signs every tenant with device records, and only those', async () => {
  const before = crlNumber();
  const r = await fx.run(all());
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^sakura-trading: CRL .*crl\.pem$/)]);
  expect(crlNumber()).toBe(before + 1);
});

test('crl --all with no device records says so; with --tenant too it is a usage error', async () => {
  const empty = await fx.run(all(join(fx.root, 'no-state')));
  expect(empty.code).toBe(0);
  expect(empty.stdout).toContain('no tenant has device records');
  const both = await fx.run([...all(), '--tenant', 'sakura-trading']);
  expect(both.code).toBe(2);
  expect(both.stderr).toContain('--all and --tenant exclude each other');
});

test('a tenant that cannot be re-signed is named, the exit status is 1, and the others are still re-signed', async () => {
  // Another tenant's device records are damaged (not JSON): that tenant fails, sakura-trading not.
  const ledger = new DevicePaths(fx.state, fx.secrets).ledger('minato-design');
  mkdirSync(dirname(ledger), { recursive: true });
  writeFileSync(ledger, '{ damaged');
  const before = crlNumber();
  const r = await fx.run(all());
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('minato-design');
  expect(r.stderr).toContain('1 of 2 tenant(s) not re-signed: minato-design');
  expect(crlNumber()).toBe(before + 1);
});

describe('the daily timer on the operations host', () => {
  const analyze = (args: string[]) => spawnSync('systemd-analyze', args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });

  test('systemd-analyze is here (the Debian package systemd)', () => {
    expect(analyze(['--version']).error).toBeUndefined();
  });

  test("systemd's own parser accepts both units, and refuses a broken copy", () => {
    const ok = analyze(['verify', join(UNITS, 'ras-device-crl.timer'), join(UNITS, 'ras-device-crl.service')]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'ras-units-'));
    try {
      copyFileSync(join(UNITS, 'ras-device-crl.service'), join(dir, 'ras-device-crl.service'));
      writeFileSync(join(dir, 'ras-device-crl.timer'), readFileSync(join(UNITS, 'ras-device-crl.timer'), 'utf8').replace(/^OnCalendar=.*$/m, 'OnCalendar=every day'));
      expect(analyze(['verify', join(dir, 'ras-device-crl.timer')]).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the service runs crl --all, then re-renders; the timer fires daily (well inside the CRL validity) and catches up after downtime', () => {
    const service = readFileSync(join(UNITS, 'ras-device-crl.service'), 'utf8');
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/env ras device crl --all$/m);
    expect(service).toMatch(/^ExecStartPost=\/usr\/bin\/env ras synth --quiet$/m);
    const timer = readFileSync(join(UNITS, 'ras-device-crl.timer'), 'utf8');
    expect(timer).toMatch(/^Persistent=true$/m);
    const calendar = /^OnCalendar=(.+)$/m.exec(timer)![1];
    const out = analyze(['calendar', '--iterations=3', calendar]).stdout;
    const times = [...out.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC/g)].map((m) => Date.parse(`${m[1]}T${m[2]}Z`));
    expect(times).toHaveLength(3);
    const gapDays = (times[1] - times[0]) / 86_400_000;
    const jitterDays = Number(/^RandomizedDelaySec=(\d+)min$/m.exec(timer)![1]) / 1440;
    expect(gapDays + jitterDays).toBeLessThanOrEqual(CRL_VALIDITY_DAYS / 2);
  });
});
