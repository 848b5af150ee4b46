/**
 * The worker pool of the compiled build (dist/parallel/): requests and replies in order over
 * several rounds, a failing operation reported with its reason instead of hanging the caller.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers/workspace';

// The worker script exists only in the compiled build (npm test builds it first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WorkerPool } = require(join(REPO, 'dist', 'parallel', 'pool.js')) as typeof import('../parallel/pool');
/** The operations of `ras build` (build/ops.ts), as compiled. */
const REGISTRY = join(REPO, 'dist', 'build', 'ops.js');

test('each worker answers its own request, round after round', () => {
  const pool = new WorkerPool(2, REGISTRY);
  try {
    expect(pool.size).toBe(2);
    for (let round = 0; round < 3; round++) {
      // An empty plan: every worker takes no chunk and says so.
      const plan = { ids: [], next: new SharedArrayBuffer(4) };
      pool.send([0, 1].map(() => ({ op: 'synth' as const, args: { fleet: { settings: {}, sourceFile: '', tenants: [] }, outdir: '/nonexistent', plan } })));
      expect(pool.collect()).toEqual([[], []]);
    }
  } finally {
    pool.close();
  }
});

test('a failing operation comes back as an error naming the worker and the reason', () => {
  const pool = new WorkerPool(1, REGISTRY);
  try {
    pool.send([{ op: 'no-such-op' as never, args: undefined }]);
    expect(() => pool.collect()).toThrow(/worker 1 failed: .*unknown operation "no-such-op"/);
    // The worker is still there for the next request.
    pool.send([{ op: 'build-chunks', args: {} }]);
    expect(() => pool.collect()).toThrow(/worker 1 failed: TypeError: Cannot read properties of undefined/);
  } finally {
    pool.close();
  }
});

test('the wrong number of requests is refused', () => {
  const pool = new WorkerPool(1, REGISTRY);
  try {
    expect(() => pool.send([])).toThrow('0 request(s) for 1 worker(s)');
  } finally {
    pool.close();
  }
});

test('a pool runs the operations of the registry module it was started with, and no others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ras-registry-'));
  const registry = join(dir, 'ops.js');
  writeFileSync(registry, "exports.OPERATIONS = { double: () => (n, session) => { session.set('last', n); return n * 2; }, last: () => (_, session) => session.get('last') };\n");
  const pool = new WorkerPool(1, registry, ['double']);
  try {
    pool.send([{ op: 'double', args: 21 }]);
    expect(pool.collect()).toEqual([42]);
    pool.send([{ op: 'last', args: undefined }]);
    expect(pool.collect()).toEqual([21]);
    pool.send([{ op: 'synth', args: undefined }]);
    expect(() => pool.collect()).toThrow(/unknown operation "synth"/);
  } finally {
    pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
