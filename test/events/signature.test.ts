/** The replay window's edge, judged with a fixed clock (the HTTP test cannot hold time still). */
import { sign, verify } from '../../server/signature';

const SECRET = 'a-secret-0123456789abcdef0123456789abcdef';
const BODY = Buffer.from('{"tenant":"sakura-trading"}');
const NOW = 1_796_000_000;

function judge(timestamp: number, now = NOW, window = 300) {
  const ts = String(timestamp);
  return verify(SECRET, { timestamp: ts, signature: sign(SECRET, ts, BODY) }, BODY, now, window);
}

it('accepts a timestamp exactly at either edge of the window and refuses one second beyond', () => {
  expect(judge(NOW)).toBeUndefined();
  expect(judge(NOW - 300)).toBeUndefined();
  expect(judge(NOW + 300)).toBeUndefined();
  expect(judge(NOW - 301)).toBe('stale-timestamp');
  expect(judge(NOW + 301)).toBe('stale-timestamp');
});

it('checks the signature before the clock, so a forged request learns nothing about the window', () => {
  const ts = String(NOW - 10_000);
  expect(verify(SECRET, { timestamp: ts, signature: sign('another-secret', ts, BODY) }, BODY, NOW, 300)).toBe('bad-signature');
});

it('binds the timestamp to the body: a fresh timestamp on an old signature is refused', () => {
  const old = String(NOW - 10_000);
  expect(verify(SECRET, { timestamp: String(NOW), signature: sign(SECRET, old, BODY) }, BODY, NOW, 300)).toBe('bad-signature');
});

it('refuses a malformed timestamp or signature header by name', () => {
  expect(verify(SECRET, { timestamp: '12e3', signature: sign(SECRET, '12e3', BODY) }, BODY, NOW, 300)).toBe('missing-timestamp');
  expect(verify(SECRET, { timestamp: String(NOW), signature: 'md5=abc' }, BODY, NOW, 300)).toBe('missing-signature');
});
