/**
 * Worker thread: synthesizes one shard of tenants (see stacks/parallel.ts) and reports through
 * shared memory, because the main thread waits synchronously (synthesis is a synchronous API).
 */
import { writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { FleetModel } from '../contract/model';
import { SHARD_FAILED, SHARD_OK } from './parallel';
import { synthSerial } from './synth';

const { fleet, outdir, ids, status, index } = workerData as { fleet: FleetModel; outdir: string; ids: string[]; status: SharedArrayBuffer; index: number };
const flags = new Int32Array(status);
try {
  const wanted = new Set(ids);
  synthSerial(fleet, outdir, fleet.tenants.filter((t) => wanted.has(t.id)));
  Atomics.store(flags, index, SHARD_OK);
} catch (e) {
  writeFileSync(`${outdir}.error`, e instanceof Error ? (e.stack ?? e.message) : String(e));
  Atomics.store(flags, index, SHARD_FAILED);
} finally {
  Atomics.notify(flags, index);
}
