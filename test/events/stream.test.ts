/**
 * The acceptance scenario: an event stream played against a fresh copy of the fleet,
 * with duplicates, out-of-order versions, concurrent posts to a real `ras serve` process (with
 * real synthesis) and CLI writers killed mid-write. At the end every tenant file must equal the
 * contract rebuilt from the audit log alone, the log must account for every event, and every
 * terminated tenant's stack must erase its data within 45 days.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { windowEnd } from '../../lib/calendar';
import { listDue } from '../../events/due';
import { loadFleet } from '../../contract/load';
import { synthTenants } from '../../stacks/synth';
import { changedEvent, createdEvent, makeFixture, purgedEvent, terminatedEvent, type Fixture } from './helpers/fixture';
import { post } from './helpers/http-client';
import { killMidApply } from './helpers/kill';
import { startServe, type RunningServer } from './helpers/serve';

const SECRET = 'stream-secret-0123456789abcdef0123456789abcdef';
let fx: Fixture;
let serve: RunningServer;
let initial: Map<string, unknown>;
const sent: Record<string, unknown>[] = [];

beforeAll(async () => {
  fx = makeFixture();
  initial = new Map(loadFleet(fx.paths).tenants.map((t) => [t.id, parse(fx.tenantText(t.id))]));
  serve = await startServe(fx.root, SECRET, ['--outdir', fx.outdir]);
});
afterAll(async () => {
  await serve.kill();
  fx.cleanup();
});

async function send(...events: Record<string, unknown>[]): Promise<number[]> {
  sent.push(...events);
  const replies = await Promise.all(events.map((e) => post(serve.port, JSON.stringify(e), { secret: SECRET })));
  return replies.map((r) => r.status);
}

async function killed(event: Record<string, unknown>, stage: 'before-rename' | 'after-rename'): Promise<void> {
  sent.push(event);
  const file = join(fx.root, `${event.id as string}.json`);
  writeFileSync(file, JSON.stringify(event));
  expect(await killMidApply(fx.root, [file, '--no-synth'], stage)).toBe('SIGKILL');
}

it('ends with every file equal to the last applied version and an audit log that accounts for every event', async () => {
  const aoba = createdEvent('aoba-bank', 1, 1);
  const chitose = createdEvent('chitose-air', 1, 2);
  expect(await send(aoba, chitose)).toEqual([202, 202]);
  expect(await send(aoba, chitose)).toEqual([200, 200]); // replayed

  // Out of order: version 3 first, then the older 2.
  expect(await send(changedEvent('aoba-bank', 3, { gateway: { sizing: { terminals: 180 } } }))).toEqual([202]);
  expect(await send(changedEvent('aoba-bank', 2, { gateway: { sizing: { terminals: 150 } } }))).toEqual([409]);

  // Ten racing changes of one tenant, plus repeats of two of them, all at once.
  const race = Array.from({ length: 10 }, (_, i) => changedEvent('chitose-air', i + 2, { gateway: { sizing: { requestsPerSecond: 60 + i } } }));
  const statuses = await send(...race, race[0], race[9]);
  expect(statuses.every((s) => [200, 202, 409].includes(s))).toBe(true);

  // Writers killed mid-write: one before its rename (retried over HTTP), one after it (never retried).
  const sakura = changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 210 } } });
  await killed(sakura, 'before-rename');
  await killed(changedEvent('kitakaze-logistics', 2, { labels: {} }), 'after-rename');
  expect(await send(sakura)).toEqual([202]);

  // Lifecycle ends: termination, an early purge (refused: the 45-day window is open), a change after termination.
  expect(await send(terminatedEvent('aoba-bank', 4, '2026-11-20'))).toEqual([202]);
  expect(await send(purgedEvent('minato-design', 1))).toEqual([409]);
  expect(await send(changedEvent('aoba-bank', 5, { labels: {} }))).toEqual([409]);

  const audit = fx.audit();
  for (const e of sent) expect(audit.filter((a) => a.eventId === e.id).length).toBeGreaterThanOrEqual(1);
  expect(audit.filter((a) => a.outcome === 'applied' && a.recovered).map((a) => a.tenant)).toEqual(['kitakaze-logistics']);

  // Rebuild each contract from its starting file and the audit log alone: it must equal the file.
  const fleet = loadFleet(fx.paths);
  for (const t of fleet.tenants) {
    let rebuilt: unknown = initial.get(t.id) ?? {};
    const applied = audit.filter((a) => a.tenant === t.id && a.outcome === 'applied');
    for (const a of applied) rebuilt = applyChanges(rebuilt, a.changes ?? []);
    expect(rebuilt).toEqual(parse(fx.tenantText(t.id)));
    expect(t.contract.contractVersion ?? 0).toBe(Math.max(0, ...applied.map((a) => a.version ?? 0)));
  }
  expect(fleet.tenants.find((t) => t.id === 'chitose-air')!.contract.contractVersion).toBe(11);
});

it('leaves every terminated tenant with a stack that erases its data within 45 days', () => {
  synthTenants({ paths: fx.paths, outdir: fx.outdir });
  const due = listDue(fx.paths, { date: '2026-11-27', withinDays: 365, outdir: fx.outdir });
  expect(due.map((d) => d.tenant).sort()).toEqual(['aoba-bank', 'minato-design']);
  for (const d of due) {
    expect(d.windowEnd).toBe(windowEnd(d.terminationDate));
    expect(d.archiveErasedFrom).toBeDefined();
    expect(d.archiveErasedFrom! < d.windowEnd).toBe(true);
    expect(d.resources!.some((r) => r.startsWith('aws_instance.'))).toBe(false);
  }
});

function applyChanges(base: unknown, changes: readonly { path: readonly string[]; to?: unknown }[]): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  for (const c of changes) {
    let node = copy;
    for (const key of c.path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    const last = c.path[c.path.length - 1];
    if (c.to === undefined) delete node[last];
    else node[last] = structuredClone(c.to);
  }
  return copy;
}
