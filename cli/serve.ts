/**
 * `ras serve`: runs the contract-event endpoint (server/http.ts) until SIGINT or SIGTERM.
 * Loopback only unless --host says otherwise; refuses to start without RAS_EVENT_SECRET.
 */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../events/apply';
import { EXIT } from '../events/errors';
import { synthesizeAllOwed, type SynthRun } from '../events/owed';
import { recoverAbandoned } from '../events/recover';
import { EventState } from '../events/state';
import { createEventServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_WINDOW_SECONDS, EVENTS_PATH } from '../server/http';
import { CONTRACT_OPTIONS, contractPaths, HelpRequest, parseArgs, single, usageLine, UsageError, type CommandSpec } from './args';
import { stackSynthesizer } from './synth-hook';

export const SECRET_ENV = 'RAS_EVENT_SECRET';
/** 32 bytes of entropy written as text: a shorter shared secret is refused. */
export const MIN_SECRET_LENGTH = 32;

export const SERVE_COMMAND: CommandSpec = {
  name: 'serve',
  options: {
    host: { type: 'string', value: 'ADDRESS', description: 'address to listen on (default: 127.0.0.1; anything else wants TLS in front)' },
    port: { type: 'string', value: 'PORT', description: 'port to listen on, 0 for any free one (default: 8787)' },
    ...CONTRACT_OPTIONS,
    state: { type: 'string', value: 'DIR', description: 'state folder: audit log, applied events, locks (default: $RAS_STATE_DIR or state)' },
    outdir: { type: 'string', value: 'DIR', description: 'synthesized output folder (default: cdktf.out)' },
    'no-synth': { type: 'boolean', description: 'apply events without synthesizing the tenant (run ras synth before deploying)' },
    'max-body': { type: 'string', value: 'BYTES', description: `largest accepted body (default: ${DEFAULT_MAX_BODY_BYTES})` },
    'replay-window': { type: 'string', value: 'SECONDS', description: `accepted clock difference of a signed request (default: ${DEFAULT_REPLAY_WINDOW_SECONDS})` },
  },
  notes: `The shared secret is read from ${SECRET_ENV} (at least ${MIN_SECRET_LENGTH} characters); see docs/contract-events.md.
exit status: 0 stopped by SIGINT or SIGTERM, 1 could not listen, 2 usage error or no secret`,
};

export async function runServe(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, SERVE_COMMAND);
  } catch (e) {
    if (e instanceof HelpRequest) {
      process.stdout.write(`${e.text}\n`);
      return EXIT.ok;
    }
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`ras serve: ${e.message}\n${usageLine(SERVE_COMMAND)}\n(ras serve --help lists its options)\n`);
    return EXIT.usage;
  }
  const secret = process.env[SECRET_ENV];
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    process.stderr.write(`ras serve: refusing to start: ${SECRET_ENV} must hold the shared HMAC secret (at least ${MIN_SECRET_LENGTH} characters)\n`);
    return EXIT.usage;
  }
  const host = single(args, 'host') ?? '127.0.0.1';
  const port = Number(single(args, 'port') ?? '8787');
  const maxBody = Number(single(args, 'max-body') ?? String(DEFAULT_MAX_BODY_BYTES));
  const window = Number(single(args, 'replay-window') ?? String(DEFAULT_REPLAY_WINDOW_SECONDS));
  for (const [flag, n, min] of [['--port', port, 0], ['--max-body', maxBody, 1], ['--replay-window', window, 1]] as const) {
    if (!Number.isInteger(n) || n < min || (flag === '--port' && n > 65535)) {
      process.stderr.write(`ras serve: ${flag} must be a whole number${flag === '--port' ? ' 0-65535' : ' greater than 0'}\n`);
      return EXIT.usage;
    }
  }
  const stateDir = single(args, 'state') ?? process.env.RAS_STATE_DIR ?? 'state';
  const outdir = single(args, 'outdir') ?? 'cdktf.out';
  const paths = contractPaths(args);
  // An apply that died before the last shutdown gets its audit line now, not at its tenant's next event.
  const state = new EventState(stateDir);
  const recovered = await recoverAbandoned(state, paths.tenantsDir);
  if (recovered.length > 0) process.stderr.write(`ras serve: completed the records of interrupted applies: ${recovered.join(', ')}\n`);
  const synthesize = args.flags.has('no-synth') ? undefined : stackSynthesizer(paths, outdir);
  // And its stack is brought up to its contract before any event is taken, not at the tenant's next event.
  if (synthesize !== undefined) await resynthesizeOwed(state, { tenantsDir: paths.tenantsDir, synthesize, lockTimeoutMs: DEFAULT_LOCK_TIMEOUT_MS });
  const server = createEventServer({
    secret,
    maxBodyBytes: maxBody,
    replayWindowSeconds: window,
    apply: { paths, stateDir, outdir, synthesize },
  });
  return new Promise<number>((resolve) => {
    server.once('error', (e) => {
      process.stderr.write(`ras serve: ${(e as Error).message}\n`);
      resolve(EXIT.failure);
    });
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
        process.stderr.write(`ras serve: warning: listening beyond loopback on ${host}; put TLS in front of it\n`);
      }
      process.stdout.write(`ras serve: listening on http://${shown}:${bound}${EVENTS_PATH}\n`);
    });
    // Stop accepting; requests being applied finish (and answer) first, idle keep-alives are dropped.
    const stop = (): void => {
      server.close(() => resolve(EXIT.ok));
      server.closeIdleConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** A failed synthesis does not stop the server: the mark stays, and the tenant's next event tries again. */
async function resynthesizeOwed(state: EventState, run: SynthRun): Promise<void> {
  for (const o of await synthesizeAllOwed(state, run)) {
    if (o.status === 'done') process.stderr.write(`ras serve: re-synthesized the stack of ${o.tenant} (an interrupted apply had left it behind its contract)\n`);
    else process.stderr.write(`ras serve: synthesis of ${o.tenant} failed; its stack lags its contract until its next event: ${o.error}\n`);
  }
}
