/**
 * `ras serve`: runs the contract-event endpoint (server/http.ts) until SIGINT or SIGTERM.
 * Loopback only unless --host says otherwise; refuses to start without RAS_EVENT_SECRET.
 */
import { parseArgs } from 'node:util';
import { EXIT } from '../contract/events/errors';
import { recoverAbandoned } from '../contract/events/recover';
import { EventState } from '../contract/events/state';
import { createEventServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_WINDOW_SECONDS, EVENTS_PATH } from '../server/http';
import { stackSynthesizer } from './synth-hook';

export const SECRET_ENV = 'RAS_EVENT_SECRET';
/** 32 bytes of entropy written as text: a shorter shared secret is refused. */
export const MIN_SECRET_LENGTH = 32;

const USAGE = `usage: ras serve [--host 127.0.0.1] [--port 8787] [--fleet fleet.yaml] [--tenants tenants]
                 [--state state] [--outdir cdktf.out] [--no-synth] [--max-body bytes] [--replay-window seconds]
  The shared secret is read from ${SECRET_ENV} (at least ${MIN_SECRET_LENGTH} characters).`;

export async function runServe(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8787' },
        fleet: { type: 'string', default: 'fleet.yaml' },
        tenants: { type: 'string', default: 'tenants' },
        state: { type: 'string', default: process.env.RAS_STATE_DIR ?? 'state' },
        outdir: { type: 'string', default: 'cdktf.out' },
        'no-synth': { type: 'boolean', default: false },
        'max-body': { type: 'string', default: String(DEFAULT_MAX_BODY_BYTES) },
        'replay-window': { type: 'string', default: String(DEFAULT_REPLAY_WINDOW_SECONDS) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`ras serve: ${(e as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const secret = process.env[SECRET_ENV];
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    process.stderr.write(`ras serve: refusing to start: ${SECRET_ENV} must hold the shared HMAC secret (at least ${MIN_SECRET_LENGTH} characters)\n`);
    return EXIT.usage;
  }
  const port = Number(values.port);
  const maxBody = Number(values['max-body']);
  const window = Number(values['replay-window']);
  for (const [flag, n, min] of [['--port', port, 0], ['--max-body', maxBody, 1], ['--replay-window', window, 1]] as const) {
    if (!Number.isInteger(n) || n < min || (flag === '--port' && n > 65535)) {
      process.stderr.write(`ras serve: ${flag} must be a whole number${flag === '--port' ? ' 0-65535' : ' greater than 0'}\n`);
      return EXIT.usage;
    }
  }
  const paths = { fleetFile: values.fleet, tenantsDir: values.tenants };
  // An apply that died before the last shutdown gets its audit line now, not at its tenant's next event.
  const recovered = await recoverAbandoned(new EventState(values.state), paths.tenantsDir);
  if (recovered.length > 0) process.stderr.write(`ras serve: completed the records of interrupted applies: ${recovered.join(', ')}\n`);
  const server = createEventServer({
    secret,
    maxBodyBytes: maxBody,
    replayWindowSeconds: window,
    apply: { paths, stateDir: values.state, outdir: values.outdir, synthesize: values['no-synth'] ? undefined : stackSynthesizer(paths, values.outdir) },
  });
  return new Promise<number>((resolve) => {
    server.once('error', (e) => {
      process.stderr.write(`ras serve: ${(e as Error).message}\n`);
      resolve(EXIT.failure);
    });
    server.listen(port, values.host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const host = values.host.includes(':') ? `[${values.host}]` : values.host;
      if (!['127.0.0.1', '::1', 'localhost'].includes(values.host)) {
        process.stderr.write(`ras serve: warning: listening beyond loopback on ${values.host}; put TLS in front of it\n`);
      }
      process.stdout.write(`ras serve: listening on http://${host}:${bound}${EVENTS_PATH}\n`);
    });
    const stop = (): void => {
      server.close(() => resolve(EXIT.ok));
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
