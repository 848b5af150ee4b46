/**
 * The worker pool of the compiled build (dist/parallel/): requests and replies in order over
 * several rounds, a failing operation reported with its reason instead of hanging the caller.
 */
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
    pool.send([{ op: 'build-judge', args: {} }]);
    expect(() => pool.collect()).toThrow(/worker 1 failed: .*judge before synthAndRead/);
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
