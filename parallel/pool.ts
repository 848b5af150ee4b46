/**
 * Worker threads for work on a large fleet, driven synchronously: synthesis is a synchronous API
 * (cdktf's own is), so the main thread does its own share and then blocks on Atomics.wait until
 * each worker's reply is on its port, rather than returning to the event loop.
 *
 * A worker runs named operations one after another and keeps a session between them, so data that
 * stays with a thread (its tenants' parsed output) is never copied between threads. The operations
 * come from a registry module the caller names when starting the pool (e.g. build/ops.ts):
 * this folder knows no operation of its own.
 * Workers are started before their first task is known: loading cdktf and the AWS constructs
 * (~0.4 s) then overlaps the main thread's loading and checking of the contracts.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** State a worker keeps between the operations of one job (e.g. the parsed output of the chunks it took). */
export type Session = Map<string, unknown>;

export type Operation = (args: never, session: Session) => unknown;

/**
 * What a registry module exports as `OPERATIONS`: each operation's loader by name, called when the
 * operation is first asked for, so a worker loads only the modules of the operations it runs.
 */
export type Operations = Readonly<Record<string, () => Operation>>;

/** The name a pool uses to end its workers; no registry may use it. */
export const EXIT = 'exit';

/** The operation `name` of `operations`, loaded. */
export function operation(operations: Operations, name: string): Operation {
  const load = Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (load === undefined || name === EXIT) throw new Error(`unknown operation ${JSON.stringify(name)}`);
  return load();
}

/** Below this many tenants a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_TENANTS = 48;

/** A worker that has not answered after this long is taken for dead. */
const REPLY_TIMEOUT_MS = 15 * 60 * 1000;

/** The worker script exists only in the compiled build; TypeScript run by jest uses one thread. */
const WORKER_SCRIPT = join(__dirname, 'worker.js');

/** Threads to use: RAS_SYNTH_WORKERS when set (1 = this thread only), else one per core for large fleets. */
export function threadCount(tenants: number): number {
  if (!existsSync(WORKER_SCRIPT)) return 1;
  const asked = process.env.RAS_SYNTH_WORKERS;
  if (asked === undefined) return tenants < PARALLEL_MIN_TENANTS ? 1 : Math.min(availableParallelism(), tenants);
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1) throw new Error(`RAS_SYNTH_WORKERS must be a whole number >= 1 (got ${JSON.stringify(asked)})`);
  return Math.max(1, Math.min(n, tenants));
}

/** Message counters, one per direction per worker, that the waiting side blocks on. */
const TO_MAIN = 0;
const TO_WORKER = 1;

export interface Request<Op extends string = string> {
  readonly op: Op;
  readonly args: unknown;
}

export type Reply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** One end of a synchronous conversation between two threads. */
export class SyncPort {
  constructor(
    private readonly port: MessagePort,
    private readonly counters: Int32Array,
    private readonly outgoing: number,
    private readonly incoming: number,
  ) {}

  send(message: unknown): void {
    this.port.postMessage(message);
    Atomics.add(this.counters, this.outgoing, 1);
    Atomics.notify(this.counters, this.outgoing);
  }

  /** The next message; throws `timeoutMessage` when none came within `timeoutMs`. */
  receive(timeoutMs: number, timeoutMessage: string): unknown {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.counters, this.incoming);
      const m = receiveMessageOnPort(this.port);
      if (m !== undefined) return m.message;
      if (Date.now() > deadline) throw new Error(timeoutMessage);
      Atomics.wait(this.counters, this.incoming, seen, 1000);
    }
  }
}

/** What a worker is given at start: its end of the conversation. */
export interface WorkerStart {
  readonly port: MessagePort;
  readonly counters: SharedArrayBuffer;
  /** Module path of the registry (exporting OPERATIONS: Operations) the requests name operations of. */
  readonly registry: string;
  /** Operations whose modules to load at once, before the first request. */
  readonly preload: readonly string[];
}

export function workerSide(start: WorkerStart): SyncPort {
  return new SyncPort(start.port, new Int32Array(start.counters), TO_MAIN, TO_WORKER);
}

/** Worker threads running the operations `Op` of one registry module. */
export class WorkerPool<Op extends string = string> {
  private readonly workers: Worker[] = [];
  private readonly ports: SyncPort[] = [];
  private closed = false;

  /**
   * Starts `size` workers now, running the operations of the module `registry` (an absolute path);
   * they load the modules of `preload` and wait for their first request.
   */
  constructor(size: number, registry: string, preload: readonly Op[] = []) {
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const counters = new SharedArrayBuffer(8);
      const start: WorkerStart = { port: port2, counters, registry, preload };
      this.workers.push(new Worker(WORKER_SCRIPT, { workerData: start, transferList: [port2] }));
      this.ports.push(new SyncPort(port1, new Int32Array(counters), TO_WORKER, TO_MAIN));
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends worker i the request `requests[i]`, all at once; collect() waits for the replies. */
  send(requests: readonly Request<Op>[]): void {
    if (requests.length !== this.ports.length) throw new Error(`${requests.length} request(s) for ${this.ports.length} worker(s)`);
    requests.forEach((r, i) => this.ports[i].send(r));
  }

  /** Each worker's reply to its last request, in worker order; the first failure is thrown. */
  collect<T>(): T[] {
    return this.ports.map((port, i) => {
      const reply = port.receive(REPLY_TIMEOUT_MS, `worker ${i + 1} did not answer within ${REPLY_TIMEOUT_MS / 60000} minutes`) as Reply;
      if (!reply.ok) throw new Error(`worker ${i + 1} failed: ${reply.error}`);
      return reply.value as T;
    });
  }

  /**
   * Sends `request` to every worker, runs `here` on this thread meanwhile, and returns this
   * thread's result followed by each worker's. If `here` fails, `stop` is called (to make the
   * workers finish early) and their replies are awaited before the error goes on, so no worker
   * is still writing when the caller cleans up.
   */
  everywhere<T>(request: Request<Op>, here: () => T, stop?: () => void): T[] {
    this.send(this.ports.map(() => request));
    let mine: T;
    try {
      mine = here();
    } catch (e) {
      stop?.();
      try {
        this.collect();
      } catch {
        // the first failure is the one to report
      }
      throw e;
    }
    return [mine, ...this.collect<T>()];
  }

  /** Ends every worker: asked to leave its loop, then terminated (in case it is still busy). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const port of this.ports) port.send({ op: EXIT, args: undefined });
    for (const w of this.workers) void w.terminate();
  }
}
