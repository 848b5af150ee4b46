/**
 * The 20-event race used by the CLI and HTTP tests: 10 changes of one tenant (versions 2-11,
 * each setting terminals to 200 + version) and 10 new tenants, all at once. Checks that nothing
 * was lost: every answer matches the audit log, the applied changes of the one tenant form an
 * unbroken chain of versions, and the new tenants' allocations do not collide.
 */
import { loadFleet } from '../../../contract/load';
import { changedEvent, createdEvent, type Fixture } from './fixture';

export const RACED_TENANT = 'sakura-trading';

export function racingEvents(): Record<string, unknown>[] {
  const changes = Array.from({ length: 10 }, (_, i) => changedEvent(RACED_TENANT, i + 2, { gateway: { sizing: { terminals: 202 + i } } }));
  const creations = Array.from({ length: 10 }, (_, i) => createdEvent(`race-${i}`, 1, 100 + i));
  // Interleave, so both kinds really overlap.
  return changes.flatMap((c, i) => [c, creations[i]]);
}

/** `answers[i]` is 'applied', 'duplicate' or the refusal code for `events[i]`. */
export function expectNoLostUpdate(fx: Fixture, events: Record<string, unknown>[], answers: string[]): void {
  const audit = fx.audit();
  // Every event is accounted for exactly once, with the outcome its sender was told.
  for (const [i, e] of events.entries()) {
    const records = audit.filter((a) => a.eventId === e.id);
    expect(records).toHaveLength(1);
    expect(records[0].outcome === 'refused' ? records[0].error?.code : records[0].outcome).toBe(answers[i]);
  }
  // Creations never conflict with each other: all applied.
  events.forEach((e, i) => e.kind === 'created' && expect(answers[i]).toBe('applied'));
  // Changes of one tenant: applied or refused as stale, never anything else.
  events.forEach((e, i) => e.kind === 'changed' && expect(['applied', 'stale-version']).toContain(answers[i]));

  const applied = audit.filter((a) => a.tenant === RACED_TENANT && a.outcome === 'applied');
  let version = 0;
  let terminals: unknown = 200;
  for (const a of applied) {
    expect(a.previousVersion).toBe(version); // each write started from the previous one: no lost update
    const change = a.changes?.find((c) => c.path.join('.') === 'gateway.sizing.terminals');
    expect(change?.from).toBe(terminals);
    expect(a.version).toBeGreaterThan(version);
    version = a.version!;
    terminals = change?.to;
  }
  expect(version).toBe(11);

  const fleet = loadFleet(fx.paths); // throws on any overlapping address, shared VLAN or service code
  const raced = fleet.tenants.find((t) => t.id === RACED_TENANT)!.contract;
  expect(raced).toMatchObject({ contractVersion: 11, gateway: { sizing: { terminals: 211 } } });
  const created = fleet.tenants.filter((t) => t.id.startsWith('race-'));
  expect(created).toHaveLength(10);
  expect(new Set(created.map((t) => t.network.vlanId)).size).toBe(10);
}
