/** A minimal HTTP client for the tests: real requests on loopback, signed like the contract system signs them. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { sign } from '../../../server/signature';

export interface Reply {
  readonly status: number;
  readonly body: { result?: { outcome: string }; error?: { code: string; message: string; problems?: { code: string; field: string }[] } };
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface PostOptions {
  readonly secret?: string;
  /** Unix seconds to sign with. @default now */
  readonly timestamp?: number;
  /** Extra headers; `undefined` leaves a default header out. */
  readonly headers?: Record<string, string | undefined>;
  readonly method?: string;
  readonly path?: string;
}

export function post(port: number, body: string | Buffer, opts: PostOptions = {}): Promise<Reply> {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(raw.length) };
  if (opts.secret !== undefined) Object.assign(headers, { 'X-RAS-Timestamp': ts, 'X-RAS-Signature': sign(opts.secret, ts, raw) });
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path ?? '/events', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Reply['body'], headers: res.headers }));
    });
    req.on('error', reject);
    req.end(raw);
  });
}

/** Sends headers declaring `declaredBytes` and then only trickles the body: the server must answer without reading it all. */
export function postOversized(port: number, declaredBytes: number | 'chunked', sendBytes: number): Promise<Reply & { closed: boolean }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-RAS-Timestamp': '1', 'X-RAS-Signature': `sha256=${'0'.repeat(64)}` };
    if (declaredBytes !== 'chunked') headers['Content-Length'] = String(declaredBytes);
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/events', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // The server closes the connection after a 413 instead of draining the rest.
        res.socket.once('close', () => undefined);
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Reply['body'], headers: res.headers, closed: res.headers.connection === 'close' });
      });
    });
    // Writing after the server closed the socket is expected to fail; the answer is what counts.
    req.on('error', (e: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(e.code ?? '') ? undefined : reject(e)));
    req.flushHeaders();
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      if (sent >= sendBytes || req.destroyed) return;
      sent += chunk.length;
      req.write(chunk, () => setTimeout(pump, 1));
    };
    pump();
  });
}

/**
 * Opens a raw connection and sends a request's headers a few bytes at a time, never finishing
 * them (a slowloris client). Resolves when the server closes the connection, with what it answered
 * and how long after connecting; gives up after `giveUpMs`.
 */
export function dribbleHeaders(port: number, giveUpMs: number): Promise<{ answer: string; closedAfterMs: number | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const finish = (closed: boolean): void => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ answer, closedAfterMs: closed ? Date.now() - started : undefined });
    };
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      socket.write('POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Slow: ');
      let n = 0;
      // Never idle: a byte every 20 ms, so only a headers deadline (not an idle timeout) stops it.
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write(n++ % 16 === 15 ? '\r\nX-Slow: ' : 'a');
      }, 20);
    });
  });
}
