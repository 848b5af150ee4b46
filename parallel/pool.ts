/**
 * Worker threads for work on a large fleet, driven synchronously: synthesis is a synchronous API
 * (cdktf's own is), so the main thread does its own share and then blocks on Atomics.wait until
 * each worker's reply is on its port, rather than returning to the event loop.
 *
 * A worker runs named operations (parallel/ops.ts) one after another and keeps a session between
 * them, so data that stays with a thread (its tenants' parsed output) is never copied between threads.
 * Workers are started before their first task is known: loading cdktf and the AWS constructs
 * (~0.4 s) then overlaps the main thread's loading and checking of the contracts.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { OpName } from './ops';

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

export interface Request {
  readonly op: OpName;
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
  /** Operations whose modules to load at once, before the first request. */
  readonly preload: readonly OpName[];
}

export function workerSide(start: WorkerStart): SyncPort {
  return new SyncPort(start.port, new Int32Array(start.counters), TO_MAIN, TO_WORKER);
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly ports: SyncPort[] = [];
  private closed = false;

  /** Starts `size` workers now; they load the modules of `preload` and wait for their first request. */
  constructor(size: number, preload: readonly OpName[] = []) {
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const counters = new SharedArrayBuffer(8);
      const start: WorkerStart = { port: port2, counters, preload };
      this.workers.push(new Worker(WORKER_SCRIPT, { workerData: start, transferList: [port2] }));
      this.ports.push(new SyncPort(port1, new Int32Array(counters), TO_WORKER, TO_MAIN));
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends worker i the request `requests[i]`, all at once; collect() waits for the replies. */
  send(requests: readonly Request[]): void {
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
  everywhere<T>(request: Request, here: () => T, stop?: () => void): T[] {
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
    for (const port of this.ports) port.send({ op: 'exit', args: undefined });
    for (const w of this.workers) void w.terminate();
  }
}
