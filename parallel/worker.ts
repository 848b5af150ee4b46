/**
 * Worker thread entry (parallel/pool.ts): answers requests one after another until asked to
 * exit. The operations are those of the registry module the pool was started with. A failing
 * operation is answered with its error, never left unanswered; a worker that dies anyway (exit,
 * out of memory) is seen by the main thread through workerSide's shared state.
 */
import { workerData } from 'node:worker_threads';
import { EXIT, holdChunk, operation, workerSide, type Operations, type Reply, type Request, type Session, type WorkerStart } from './pool';

const start = workerData as WorkerStart;
const port = workerSide(start);
const session: Session = new Map();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the registry is named at run time
const { OPERATIONS } = require(start.registry) as { readonly OPERATIONS: Operations };
// Loading cdktf and the AWS constructs takes ~0.3 s: done now, while the main thread reads the contracts.
for (const name of start.preload) operation(OPERATIONS, name);
for (;;) {
  // No deadline of its own: the main thread decides when the pool ends.
  const request = port.receive(Number.MAX_SAFE_INTEGER, '') as Request;
  if (request.op === EXIT) break;
  holdChunk(-1);
  let reply: Reply;
  try {
    reply = { ok: true, value: operation(OPERATIONS, request.op)(request.args as never, session) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.send(reply);
}
