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
 *
 * Fail fast: the main thread never returns to the event loop while it waits, so a worker's
 * 'exit' and 'error' events cannot reach it. Instead it waits in short slices and, each slice and
 * between its own chunks, checks every worker through shared memory: a worker that exits (or
 * throws past its loop) says so from its own 'exit' handler; one stopped without running any
 * JavaScript (out of memory, terminated) is seen as a thread that no longer runs. The failure names
 * the worker, the tenants it was on (the chunk it held) and the cause.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { pollProgress } from '../lib/progress';

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

/** A worker that has not answered after this long is taken for dead (one that stopped is seen at once). */
const REPLY_TIMEOUT_MS = 15 * 60 * 1000;

/** How long the main thread waits before checking on the workers and showing progress again. */
const SLICE_MS = 200;

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

/**
 * Checks RAS_SYNTH_WORKERS and RAS_WORKER_HEAP_MB now: a command that starts its workers only when
 * it has work to share (`ras build`) still refuses a bad value before doing anything.
 */
export function checkWorkerSettings(): void {
  threadCount(PARALLEL_MIN_TENANTS);
  resourceLimits();
}

/** RAS_WORKER_HEAP_MB: each worker's heap limit (old generation), for a worker that runs away with memory. */
function resourceLimits(): { maxOldGenerationSizeMb: number } | undefined {
  const asked = process.env.RAS_WORKER_HEAP_MB;
  if (asked === undefined || asked === '') return undefined;
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 16) throw new Error(`RAS_WORKER_HEAP_MB must be a whole number >= 16 (got ${JSON.stringify(asked)})`);
  return { maxOldGenerationSizeMb: n };
}

/** Slots of each worker's shared Int32Array: message counters, one per direction, that the waiting side blocks on ... */
const TO_MAIN = 0;
const TO_WORKER = 1;
/** ... the worker's state (STARTING, RUNNING, EXITED), exit code, chunk held + 1 (0: none) and OS thread id. */
const STATE = 2;
const EXIT_CODE = 3;
const HELD = 4;
const TID = 5;
const SLOTS = 6;
const RUNNING = 1;
const EXITED = 2;
/** Bytes for the message of an error that ended a worker. */
const NOTE_BYTES = 2048;

/** A worker failed: its operation threw, or the thread itself is gone. Names the worker, its tenants and the cause. */
export class WorkerError extends Error {
  private tenants: readonly string[] = [];

  constructor(
    /** 1-based, as in the messages. */
    readonly worker: number,
    readonly threadId: number,
    /** The chunk it was on (-1: none). */
    readonly chunk: number,
    /** Why: the operation's error, the exit code, or how the thread stopped. */
    public reason: string,
    /** The thread is gone (rather than an operation having failed in it). */
    readonly died: boolean,
    private readonly events?: Promise<string | undefined>,
  ) {
    super('');
    this.message = this.compose();
  }

  /** The tenants of the chunk it held (known to the caller that planned the chunks). */
  holding(tenants: readonly string[]): void {
    this.tenants = tenants;
    this.message = this.compose();
  }

  /**
   * Once the main thread is back on its event loop: waits (up to `timeoutMs`) for the worker's own
   * 'error' event, whose message (e.g. the memory limit reached) replaces a cause guessed from outside.
   */
  async settle(timeoutMs = 2000): Promise<void> {
    if (this.events === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const told = await Promise.race([this.events, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]);
    clearTimeout(timer);
    if (told !== undefined) this.reason = told;
    this.message = this.compose();
  }

  private compose(): string {
    const held = this.tenants.length > 0 ? ` holding tenant(s) ${this.tenants.join(', ')}` : this.chunk >= 0 ? ` holding chunk ${this.chunk}` : '';
    const who = `worker ${this.worker}${this.threadId >= 0 ? ` (thread ${this.threadId})` : ''}`;
    return this.died ? `${who} died${held || ' holding no tenants'}: ${this.reason}` : `worker ${this.worker} failed${held ? ` on${held.slice(' holding'.length)}` : ''}: ${this.reason}`;
  }
}

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

  /** A message taken by peek(), for the next receive(). */
  private early: { message: unknown } | undefined;

  /** The next message if one is there, without waiting; receive() still returns it. */
  peek(): unknown {
    this.early ??= receiveMessageOnPort(this.port);
    return this.early?.message;
  }

  send(message: unknown): void {
    this.port.postMessage(message);
    Atomics.add(this.counters, this.outgoing, 1);
    Atomics.notify(this.counters, this.outgoing);
  }

  /**
   * The next message; throws `timeoutMessage` when none came within `timeoutMs`. `check`, when
   * given, is called every SLICE_MS of waiting (and may throw to stop waiting).
   */
  receive(timeoutMs: number, timeoutMessage: string, check?: () => void): unknown {
    if (this.early !== undefined) {
      const m = this.early;
      this.early = undefined;
      return m.message;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.counters, this.incoming);
      const m = receiveMessageOnPort(this.port);
      if (m !== undefined) return m.message;
      check?.();
      if (Date.now() > deadline) throw new Error(timeoutMessage);
      Atomics.wait(this.counters, this.incoming, seen, check === undefined ? 1000 : SLICE_MS);
    }
  }
}

/** What a worker is given at start: its end of the conversation. */
export interface WorkerStart {
  readonly port: MessagePort;
  readonly counters: SharedArrayBuffer;
  /** Where the worker leaves the message of an error that ends it. */
  readonly note: SharedArrayBuffer;
  /** 1-based. */
  readonly number: number;
  /** Module path of the registry (exporting OPERATIONS: Operations) the requests name operations of. */
  readonly registry: string;
  /** Operations whose modules to load at once, before the first request. */
  readonly preload: readonly string[];
}

/** In a worker: its own shared state, for holdChunk(). */
let self: { readonly state: Int32Array; readonly number: number; taken: number } | undefined;

/**
 * Called first thing in a worker: says it runs, and makes sure its end is visible to the main
 * thread through shared memory (an 'exit' event would only reach an idle main thread).
 */
export function workerSide(start: WorkerStart): SyncPort {
  const state = new Int32Array(start.counters);
  self = { state, number: start.number, taken: 0 };
  Atomics.store(state, TID, osThreadId());
  Atomics.store(state, STATE, RUNNING);
  process.on('uncaughtException', (e) => {
    new TextEncoder().encodeInto(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\0`, new Uint8Array(start.note));
    process.exit(1);
  });
  process.on('exit', (code) => {
    Atomics.store(state, EXIT_CODE, code);
    Atomics.store(state, STATE, EXITED);
    Atomics.add(state, TO_MAIN, 1);
    Atomics.notify(state, TO_MAIN);
  });
  return new SyncPort(start.port, state, TO_MAIN, TO_WORKER);
}

/** This thread's id in the operating system (Linux), to see from the main thread whether it still runs. */
function osThreadId(): number {
  try {
    return Number(/\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1] ?? -1);
  } catch {
    return -1;
  }
}

/**
 * In a worker: the chunk it is now working on (-1: none), for the main thread to name its tenants
 * if it fails. RAS_TEST_WORKER_FAULT=exit|throw|oom makes worker 1 fail that way on its second chunk
 * (tests only; oom wants RAS_WORKER_HEAP_MB).
 */
export function holdChunk(k: number): void {
  if (self === undefined) return;
  Atomics.store(self.state, HELD, k + 1);
  const fault = process.env.RAS_TEST_WORKER_FAULT;
  if (k < 0 || fault === undefined || fault === '' || self.number !== 1 || ++self.taken !== 2) return;
  if (fault === 'exit') process.exit(70);
  if (fault === 'throw') throw new Error('RAS_TEST_WORKER_FAULT=throw');
  if (fault === 'oom') {
    const hoard: unknown[] = [];
    for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => ({ i })));
  }
}

/** Pools whose workers the main thread checks between its own chunks. */
const open = new Set<WorkerPool>();

/** On the main thread, between two chunks of its own share: fails fast on a dead worker, shows progress. */
export function betweenChunks(): void {
  if (!isMainThread) return;
  for (const pool of open) pool.check();
  pollProgress();
}

/** Worker threads running the operations `Op` of one registry module. */
export class WorkerPool<Op extends string = string> {
  private readonly workers: Worker[] = [];
  private readonly ports: SyncPort[] = [];
  private readonly states: Int32Array[] = [];
  private readonly notes: Uint8Array[] = [];
  /** Per worker: its 'error' event's message, or undefined at its exit; read once back on the event loop. */
  private readonly ends: Promise<string | undefined>[] = [];
  private closed = false;

  /**
   * Starts `size` workers now, running the operations of the module `registry` (an absolute path);
   * they load the modules of `preload` and wait for their first request.
   */
  constructor(size: number, registry: string, preload: readonly Op[] = []) {
    const limits = resourceLimits();
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const counters = new SharedArrayBuffer(SLOTS * 4);
      const note = new SharedArrayBuffer(NOTE_BYTES);
      const start: WorkerStart = { port: port2, counters, note, number: i + 1, registry, preload };
      const worker = new Worker(WORKER_SCRIPT, { workerData: start, transferList: [port2], resourceLimits: limits });
      this.ends.push(
        new Promise((resolve) => {
          worker.once('error', (e) => resolve(e.message));
          worker.once('exit', (code) => resolve(code === 0 ? undefined : `exited with code ${code}`));
        }),
      );
      this.workers.push(worker);
      this.states.push(new Int32Array(counters));
      this.notes.push(new Uint8Array(note));
      this.ports.push(new SyncPort(port1, new Int32Array(counters), TO_WORKER, TO_MAIN));
    }
    if (size > 0) open.add(this);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends worker i the request `requests[i]`, all at once; collect() waits for the replies. */
  send(requests: readonly Request<Op>[]): void {
    if (requests.length !== this.ports.length) throw new Error(`${requests.length} request(s) for ${this.ports.length} worker(s)`);
    requests.forEach((r, i) => this.ports[i].send(r));
  }

  /**
   * Each worker's reply to its last request, in worker order. Every live worker's reply is
   * awaited (so none is still writing afterwards), then the first failure is thrown.
   */
  collect<T>(): T[] {
    const values: T[] = [];
    let failure: unknown;
    this.ports.forEach((port, i) => {
      try {
        const reply = port.receive(REPLY_TIMEOUT_MS, `worker ${i + 1} did not answer within ${REPLY_TIMEOUT_MS / 60000} minutes`, () => {
          const dead = this.death(i);
          if (dead !== undefined) throw dead;
          pollProgress();
        }) as Reply;
        if (!reply.ok) throw this.failed(i, reply.error);
        values.push(reply.value as T);
      } catch (e) {
        failure ??= e;
      }
    });
    if (failure !== undefined) throw failure;
    return values;
  }

  /** Throws a WorkerError for the first worker that is gone or whose operation failed. */
  check(): void {
    for (let i = 0; i < this.workers.length; i++) {
      const reply = this.ports[i].peek() as Reply | undefined;
      if (reply?.ok === false) throw this.failed(i, reply.error);
      const dead = this.death(i);
      if (dead !== undefined) throw dead;
    }
  }

  private failed(i: number, error: string): WorkerError {
    return new WorkerError(i + 1, this.threadId(i), Atomics.load(this.states[i], HELD) - 1, error, false);
  }

  private threadId(i: number): number {
    return this.workers[i].threadId;
  }

  /** Worker i's end, if it has ended: seen from shared memory, without the event loop. */
  private death(i: number): WorkerError | undefined {
    const state = this.states[i];
    const held = Atomics.load(state, HELD) - 1;
    const end = this.ends[i];
    if (Atomics.load(state, STATE) === EXITED) {
      const note = new TextDecoder().decode(this.notes[i]).split('\0')[0];
      return new WorkerError(i + 1, this.threadId(i), held, note !== '' ? note : `exited with code ${Atomics.load(state, EXIT_CODE)}`, true, note !== '' ? undefined : end);
    }
    if (Atomics.load(state, STATE) === RUNNING && threadStopped(this.workers[i], Atomics.load(state, TID))) {
      return new WorkerError(i + 1, this.threadId(i), held, 'stopped without exiting (out of memory, or killed)', true, end);
    }
    return undefined;
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
    open.delete(this);
    for (const port of this.ports) port.send({ op: EXIT, args: undefined });
    for (const w of this.workers) void w.terminate();
  }
}

/**
 * Whether a worker's thread has stopped, seen from a main thread that is not running its event
 * loop: Node's own probe (the worker handle's loop idle time is negative once its thread has
 * stopped: what Worker#performance uses to tell), else, on Linux, the thread's /proc entry.
 */
function threadStopped(worker: Worker, tid: number): boolean {
  const key = Object.getOwnPropertySymbols(worker).find((s) => s.description === 'kHandle');
  if (key !== undefined) {
    const handle = (worker as unknown as Record<symbol, { loopIdleTime?: () => number } | null>)[key];
    if (handle === null) return true;
    if (typeof handle?.loopIdleTime === 'function') return handle.loopIdleTime() < 0;
  }
  return tid > 0 && !existsSync(`/proc/self/task/${tid}`);
}
