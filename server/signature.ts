/**
 * Request authentication for `ras serve`: HMAC-SHA256 with a shared secret over
 * `<timestamp>.<raw body>`, sent as `X-RAS-Signature: sha256=<hex>` next to
 * `X-RAS-Timestamp: <unix seconds>`. Signing the timestamp binds it to the body, so an old
 * request cannot be replayed with a fresh timestamp; the replay window bounds how long a
 * captured request stays usable (and within it, a replay is just a duplicate event).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ras-signature';
export const TIMESTAMP_HEADER = 'x-ras-timestamp';

export type AuthFailure = 'missing-signature' | 'bad-signature' | 'missing-timestamp' | 'stale-timestamp';

export function sign(secret: string | Buffer, timestamp: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Returns why the request is not authentic, or undefined when it is. */
export function verify(
  secret: string | Buffer,
  headers: { signature?: string; timestamp?: string },
  body: Buffer,
  nowSeconds: number,
  windowSeconds: number,
): AuthFailure | undefined {
  if (headers.timestamp === undefined || !/^[0-9]{1,12}$/.test(headers.timestamp)) return 'missing-timestamp';
  const given = /^sha256=([0-9a-f]{64})$/i.exec(headers.signature ?? '');
  if (given === null) return 'missing-signature';
  const expected = Buffer.from(sign(secret, headers.timestamp, body).slice('sha256='.length), 'hex');
  // Constant-time comparison: the time taken says nothing about how many bytes matched.
  if (!timingSafeEqual(expected, Buffer.from(given[1].toLowerCase(), 'hex'))) return 'bad-signature';
  if (Math.abs(nowSeconds - Number(headers.timestamp)) > windowSeconds) return 'stale-timestamp';
  return undefined;
}
