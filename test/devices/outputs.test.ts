/**
 * The "no private key in cdktf.out/ or reports/": with real device records (two devices,
 * one revoked, PKCS#12 and .mobileconfig written), the built `ras report` (synth, then report)
 * renders the device PKI into the synthesized output and the counts into the reports, and no
 * secret of the secret store reaches either: no PEM private key, no key body, no PKCS#12 password,
 * no secret-store path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ras } from '../helpers/cli';
import { filesUnder, makeDeviceFixture, text, type DeviceFixture } from './helpers/fixture';

let fx: DeviceFixture;
beforeAll(async () => {
  fx = makeDeviceFixture();
  for (const [device, identity] of [['laptop', 'alice@sakura-trading.example'], ['phone', 'bob@sakura-trading.example']]) {
    const r = await fx.run(['issue', ...fx.common(), '--device', device, '--identity', identity, '--server', 'vpn.sakura.example']);
    expect(r.code).toBe(0);
  }
  expect((await fx.run(['revoke', ...fx.common(), '--device', 'laptop'])).code).toBe(0);
}, 120_000);
afterAll(() => fx.cleanup());

test('synth and report carry the device PKI and its counts, and none of the secret store', async () => {
  const r = await ras(['report', '--quiet'], fx.root, { RAS_STATE_DIR: fx.state });
  expect({ code: r.exitCode, err: r.stderr }).toEqual({ code: 0, err: '' });
  const outputs = [...filesUnder(join(fx.root, 'cdktf.out')), ...filesUnder(join(fx.root, 'reports'))];
  const all = outputs.map((f) => [f, readFileSync(f, 'latin1')] as const);

  // Positive: the output really holds the device records (so the checks below judge something).
  const crlBody = text(join(fx.pub('sakura-trading'), 'crl.pem')).split('\n')[1];
  expect(all.filter(([, t]) => t.includes(crlBody)).map(([f]) => f)).toEqual([expect.stringMatching(/cdktf\.out\/stacks\/sakura-trading\/ansible\/host_vars\/sakura-trading-gateway\.yml$/)]);
  expect(text(join(fx.root, 'reports', 'sakura-trading', 'report.json'))).toContain('2 devices: 1 active, 0 suspended, 1 revoked');

  // Negative: every secret the store holds, by content.
  const secrets = filesUnder(fx.secrets);
  expect(secrets.filter((f) => /\.(key|p12|p12-password|mobileconfig)$/.test(f)).length).toBeGreaterThanOrEqual(2 * 4 + 1);
  const needles = secrets.flatMap((f) => {
    if (f.endsWith('.p12-password')) return [text(f).trim()];
    if (f.endsWith('.key')) return text(f).split('\n').filter((l) => l.length > 40); // the base64 lines of the PEM key
    return [];
  });
  expect(needles.length).toBeGreaterThan(4);
  for (const [f, t] of all) {
    expect([f, t.includes('PRIVATE KEY')]).toEqual([f, false]);
    expect([f, t.includes(fx.secrets)]).toEqual([f, false]);
    expect([f, needles.filter((n) => t.includes(n))]).toEqual([f, []]);
  }
}, 180_000);
