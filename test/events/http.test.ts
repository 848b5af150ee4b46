/** `ras serve` over real HTTP on 127.0.0.1: authentication, limits, answers, and the 20-event race. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createEventServer, DEFAULT_REPLAY_WINDOW_SECONDS } from '../../server/http';
import { expectNoLostUpdate, racingEvents } from './helpers/concurrent';
import { changedEvent, createdEvent, makeFixture, runNode, type Fixture } from './helpers/fixture';
import { dribbleHeaders, post, postOversized } from './helpers/http-client';
import { startServe } from './helpers/serve';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
let fx: Fixture;
let server: Server;
let port: number;
let logLines: string[];

beforeEach(async () => {
  fx = makeFixture();
  logLines = [];
  server = createEventServer({ secret: SECRET, apply: { ...fx.options(), lockTimeoutMs: 100_000 }, maxBodyBytes: 64 * 1024, log: (l) => logLines.push(l) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fx.cleanup();
});

const body = (e: Record<string, unknown>): string => JSON.stringify(e);

it('answers 202 when applied, 200 for a duplicate, 409 for an older version', async () => {
  const created = createdEvent('aoba-bank', 1, 1);
  const first = await post(port, body(created), { secret: SECRET });
  expect(first.status).toBe(202);
  expect(first.body.result).toMatchObject({ outcome: 'applied', tenant: 'aoba-bank', stack: { action: 'deploy' } });
  expect(first.headers['content-type']).toContain('application/json');

  const again = await post(port, body(created), { secret: SECRET });
  expect(again.status).toBe(200);
  expect(again.body.result?.outcome).toBe('duplicate');

  expect((await post(port, body(changedEvent('aoba-bank', 3, { labels: {} })), { secret: SECRET })).status).toBe(202);
  const older = await post(port, body(changedEvent('aoba-bank', 2, { labels: {} })), { secret: SECRET });
  expect(older.status).toBe(409);
  expect(older.body.error?.code).toBe('stale-version');
});

it('refuses malformed and invalid bodies with 400 and a stable code', async () => {
  const malformed = await post(port, '{"id": "x", ', { secret: SECRET });
  expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'malformed-json' } } });
  const invalid = await post(port, body({ ...changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 'many' } } }) }), { secret: SECRET });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error?.code).toBe('invalid-event');
  expect(invalid.body.error?.problems).toEqual([expect.objectContaining({ code: 'EVT010', field: 'payload.gateway.sizing.terminals' })]);
});

it('refuses unauthenticated requests with 401 and changes nothing', async () => {
  const before = fx.tenantText('sakura-trading');
  const event = body(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } }));
  const wrongKey = await post(port, event, { secret: 'another-secret-0123456789abcdef0123456789' });
  expect(wrongKey).toMatchObject({ status: 401, body: { error: { code: 'bad-signature' } } });
  const unsigned = await post(port, event);
  expect(unsigned).toMatchObject({ status: 401, body: { error: { code: 'missing-timestamp' } } });
  const noSignature = await post(port, event, { headers: { 'X-RAS-Timestamp': String(Math.floor(Date.now() / 1000)) } });
  expect(noSignature).toMatchObject({ status: 401, body: { error: { code: 'missing-signature' } } });
  // A body altered after signing.
  const ts = Math.floor(Date.now() / 1000);
  const signedOther = await post(port, event.replace('220', '221'), {
    headers: { 'X-RAS-Timestamp': String(ts), 'X-RAS-Signature': (await import('../../server/signature')).sign(SECRET, String(ts), Buffer.from(event)) },
  });
  expect(signedOther).toMatchObject({ status: 401, body: { error: { code: 'bad-signature' } } });
  // Well outside the window, taken from the clock at each request: a timestamp just 301 s ahead
  // falls back inside the window once a second passes on a loaded machine. The exact edge is
  // judged with a fixed clock in signature.test.ts.
  for (const offset of [-(DEFAULT_REPLAY_WINDOW_SECONDS + 60), DEFAULT_REPLAY_WINDOW_SECONDS + 60]) {
    const stale = Math.floor(Date.now() / 1000) + offset;
    expect(await post(port, event, { secret: SECRET, timestamp: stale })).toMatchObject({ status: 401, body: { error: { code: 'stale-timestamp' } } });
  }
  expect(fx.tenantText('sakura-trading')).toBe(before);
  expect(fx.audit()).toEqual([]);
  expect(logLines.join('\n')).not.toContain(SECRET);
});

it('refuses an oversized body with 413 without reading it all', async () => {
  const declared = await postOversized(port, 10 * 1024 * 1024, 0);
  expect(declared).toMatchObject({ status: 413, body: { error: { code: 'body-too-large' } }, closed: true });
  const streamed = await postOversized(port, 'chunked', 4 * 1024 * 1024);
  expect(streamed).toMatchObject({ status: 413, body: { error: { code: 'body-too-large' } } });
  expect(fx.audit()).toEqual([]);
});

it('answers 415 to a body that is not application/json, and accepts a charset parameter', async () => {
  const before = fx.tenantText('sakura-trading');
  const event = body(changedEvent('sakura-trading', 2, { labels: {} }));
  // curl --data-binary without -H "Content-Type: application/json" sends the form type.
  for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/json-seq', 'application/json; charset=latin1', undefined]) {
    const reply = await post(port, event, { secret: SECRET, headers: { 'Content-Type': type } });
    expect([type, reply.status, reply.body.error?.code]).toEqual([type, 415, 'unsupported-media-type']);
  }
  expect(fx.tenantText('sakura-trading')).toBe(before);
  expect(fx.audit()).toEqual([]);

  expect((await post(port, event, { secret: SECRET, headers: { 'Content-Type': 'application/json; charset=utf-8' } })).status).toBe(202);
  const next = body(changedEvent('sakura-trading', 3, { labels: {} }));
  expect((await post(port, next, { secret: SECRET, headers: { 'Content-Type': 'Application/JSON;Charset="UTF-8"' } })).status).toBe(202);
});

it('cuts off a client that sends its headers too slowly (408), within the headers timeout', async () => {
  const strict = createEventServer({ secret: SECRET, apply: fx.options(), headersTimeoutMs: 300, requestTimeoutMs: 1000, log: () => undefined });
  await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
  const strictPort = (strict.address() as AddressInfo).port;
  try {
    const slow = await dribbleHeaders(strictPort, 5000);
    expect(slow.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(300);
    expect(slow.closedAfterMs).toBeLessThan(1500);
    // An ordinary request is not affected.
    expect((await post(strictPort, body(changedEvent('sakura-trading', 2, { labels: {} })), { secret: SECRET })).status).toBe(202);
  } finally {
    strict.closeAllConnections();
    await new Promise((resolve) => strict.close(resolve));
  }
});

it('refuses timeouts that cannot both hold', () => {
  expect(() => createEventServer({ secret: SECRET, apply: fx.options(), headersTimeoutMs: 2000, requestTimeoutMs: 1000 })).toThrow(RangeError);
});

it('answers 409 with Retry-After while the tenant stays locked', async () => {
  const { acquireLock } = await import('../../events/lock');
  const { EventState } = await import('../../events/state');
  const busy = createEventServer({ secret: SECRET, apply: { ...fx.options(), lockTimeoutMs: 100 }, log: () => undefined });
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const held = await acquireLock(new EventState(fx.stateDir).tenantLockFile('sakura-trading'));
  try {
    const reply = await post((busy.address() as AddressInfo).port, body(changedEvent('sakura-trading', 2, { labels: {} })), { secret: SECRET });
    expect(reply).toMatchObject({ status: 409, body: { error: { code: 'lock-timeout' } } });
    expect(reply.headers['retry-after']).toBe('5');
  } finally {
    held.release();
    busy.closeAllConnections();
    await new Promise((resolve) => busy.close(resolve));
  }
});

it('answers 405 for other methods and 404 for other paths', async () => {
  const get = await post(port, '', { method: 'GET' });
  expect(get).toMatchObject({ status: 405, body: { error: { code: 'method-not-allowed' } } });
  expect(get.headers.allow).toBe('POST');
  expect(await post(port, '{}', { path: '/admin', secret: SECRET })).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
});

it('takes 20 concurrent posts without losing an update', async () => {
  const events = racingEvents();
  const replies = await Promise.all(events.map((e) => post(port, body(e), { secret: SECRET })));
  const answers = replies.map((r) => {
    expect([202, 409]).toContain(r.status);
    return r.body.result?.outcome ?? r.body.error!.code;
  });
  expectNoLostUpdate(fx, events, answers);
});

describe('ras serve as a process', () => {
  const entry = join(__dirname, 'helpers', 'serve-cli.js');

  it('refuses to start without the secret in the environment', async () => {
    const missing = await runNode([entry, '--port', '0'], { cwd: fx.root, env: { RAS_EVENT_SECRET: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('RAS_EVENT_SECRET');
    const short = await runNode([entry, '--port', '0'], { cwd: fx.root, env: { RAS_EVENT_SECRET: 'short' } });
    expect(short.code).toBe(2);
    expect(short.stderr).not.toContain('short'); // the secret itself is never echoed
  });

  it('listens on loopback and applies a signed event', async () => {
    const serve = await startServe(fx.root, SECRET, ['--no-synth']);
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/);
      const reply = await post(serve.port, body(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } })), { secret: SECRET });
      expect(reply.status).toBe(202);
      expect(fx.tenantText('sakura-trading')).toContain('terminals: 220');
      expect(serve.stderr()).not.toContain(SECRET);
      const exit = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
      serve.child.kill('SIGTERM');
      expect(await exit).toBe(0); // a clean stop
    } finally {
      await serve.kill();
    }
  });
});
