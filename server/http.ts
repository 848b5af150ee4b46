/**
 * The HTTP endpoint the contract system posts events to. It authenticates, bounds and parses
 * the request, then calls the same applyEventText as `ras contract apply`, and answers with
 * JSON: 202 applied, 200 duplicate, otherwise `{ "error": { "code", "message" } }` with a
 * stable code (docs/contract-events.md lists them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { applyEventText, type ApplyOptions } from '../events/apply';
import { EventError } from '../events/errors';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify, type AuthFailure } from './signature';

export interface EventServerOptions {
  /** Shared HMAC secret (from the environment; never logged). */
  readonly secret: string | Buffer;
  readonly apply: Omit<ApplyOptions, 'via'>;
  /** @default 262144 (256 KiB) */
  readonly maxBodyBytes?: number;
  /** Accepted clock difference for X-RAS-Timestamp. @default 300 */
  readonly replayWindowSeconds?: number;
  /** @default Date.now */
  readonly nowMs?: () => number;
  /** One line per request (no bodies, no secrets). @default stderr */
  readonly log?: (line: string) => void;
  /** A client must have sent all request headers this long after connecting, or gets 408 and is cut off. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** The whole request (headers and body) must have arrived this long after connecting. @default 30000 */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const EVENTS_PATH = '/events';

const AUTH_MESSAGES: Record<AuthFailure, string> = {
  'missing-timestamp': `${TIMESTAMP_HEADER} is missing or not unix seconds`,
  'missing-signature': `${SIGNATURE_HEADER} is missing or not sha256=<64 hex digits>`,
  'bad-signature': 'the signature does not match the body',
  'stale-timestamp': 'the timestamp is outside the replay window; sign the request again with the current time',
};

export function createEventServer(opts: EventServerOptions): Server {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const headersTimeout = opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(headersTimeout > 0 && requestTimeout >= headersTimeout)) throw new RangeError('timeouts: 0 < headersTimeoutMs <= requestTimeoutMs');
  // Node enforces both timeouts only when it sweeps its connections (every 30 s by default), so a
  // client dribbling its headers would be cut off up to 30 s late: sweep often enough to keep them.
  const sweep = Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4)));
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: sweep }, (req, res) => {
    handle(req, res, opts).then(
      (outcome) => log(`${req.method} ${req.url} ${res.statusCode} ${outcome}`),
      (e: unknown) => {
        log(`${req.method} ${req.url} 500 internal: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'internal error; see the server log' } });
      },
    );
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: EventServerOptions): Promise<string> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== EVENTS_PATH) return fail(res, 404, 'not-found', `no such endpoint; post events to ${EVENTS_PATH}`);
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return fail(res, 405, 'method-not-allowed', `${EVENTS_PATH} accepts POST only`);
  }
  if (!isJson(header(req, 'content-type'))) {
    closeUnread(req, res);
    return fail(res, 415, 'unsupported-media-type', 'the body must be an event as Content-Type: application/json (charset utf-8, if given)');
  }
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = await readBody(req, limit);
  if (body === 'too-large') {
    closeUnread(req, res);
    return fail(res, 413, 'body-too-large', `the body exceeds ${limit} bytes`);
  }
  const auth = verify(
    opts.secret,
    { signature: header(req, SIGNATURE_HEADER), timestamp: header(req, TIMESTAMP_HEADER) },
    body,
    Math.floor((opts.nowMs ?? Date.now)() / 1000),
    opts.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS,
  );
  if (auth !== undefined) return fail(res, 401, auth, AUTH_MESSAGES[auth]);

  try {
    const result = await applyEventText(body.toString('utf8'), { ...opts.apply, via: 'http' });
    send(res, result.outcome === 'duplicate' ? 200 : 202, { result });
    return `${result.outcome} ${result.eventId}`;
  } catch (e) {
    if (!(e instanceof EventError)) throw e;
    // Worth retrying as is: the tenant was busy, or operators are fixing the contracts on disk.
    if (e.code === 'lock-timeout' || e.code === 'fleet-invalid') res.setHeader('Retry-After', e.code === 'lock-timeout' ? '5' : '60');
    send(res, e.status, { error: { code: e.code, message: e.message, problems: e.problems } });
    return e.code;
  }
}

/** `application/json`, in any case, with no parameter or `charset=utf-8` (the body is read as UTF-8). */
export function isJson(contentType: string | undefined): boolean {
  const [type, ...params] = (contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => {
    const [name, value] = p.split('=').map((x) => x.trim());
    return name !== 'charset' || ['utf-8', '"utf-8"', 'utf8'].includes(value ?? '');
  });
}

/** Answers without reading the body: the connection is closed instead of draining it. */
function closeUnread(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  res.on('finish', () => req.socket.destroy());
}

/** The raw body, or 'too-large' as soon as the declared or received size passes the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function fail(res: ServerResponse, status: number, code: string, message: string): string {
  send(res, status, { error: { code, message } });
  return code;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
