/** Event validation: every problem named by field, with a stable code. */
import { checkEvent } from '../../events/validate';
import { EventError } from '../../events/errors';
import { changedEvent, createdEvent, purgedEvent, terminatedEvent } from './helpers/fixture';

function problemsOf(data: unknown): string[] {
  try {
    checkEvent(data);
  } catch (e) {
    if (e instanceof EventError && e.code === 'invalid-event') return e.problems.map((p) => `${p.code} ${p.field}`).sort();
    throw e;
  }
  return [];
}

it('accepts every kind in its documented shape', () => {
  for (const e of [createdEvent('aoba-bank', 1, 1), changedEvent('aoba-bank', 2, { labels: {} }), terminatedEvent('aoba-bank', 3, '2026-12-01'), purgedEvent('aoba-bank', 4)]) {
    expect(problemsOf(e)).toEqual([]);
  }
});

it('names every missing envelope field', () => {
  expect(problemsOf({})).toEqual(['EVT010 id', 'EVT010 kind', 'EVT010 occurredAt', 'EVT010 payload', 'EVT010 tenant', 'EVT010 version']);
  expect(problemsOf([])).toEqual(['EVT010 ']);
});

it('checks each kind’s payload against the contract schema', () => {
  const created = createdEvent('aoba-bank', 1, 1);
  delete (created.payload as Record<string, unknown>).customer;
  (created.payload as { gateway: { protocols: string[] } }).gateway.protocols = ['telnet'];
  expect(problemsOf(created)).toEqual(['EVT010 payload.customer', 'EVT010 payload.gateway.protocols[0]']);
  expect(problemsOf(changedEvent('aoba-bank', 2, {}))).toEqual(['EVT010 payload']);
  expect(problemsOf(changedEvent('aoba-bank', 2, { gateway: { clientPool: '10.0.0.0/24' } }))).toEqual(['EVT010 payload.gateway.clientPool']);
  expect(problemsOf(terminatedEvent('aoba-bank', 2, '1 Dec 2026'))).toEqual(['EVT010 payload.terminationDate']);
  expect(problemsOf({ ...purgedEvent('aoba-bank', 2), payload: { force: true } })).toEqual(['EVT010 payload.force']);
  expect(problemsOf({ ...purgedEvent('aoba-bank', 2), kind: 'resurrected' })).toEqual(['EVT010 kind']);
  expect(problemsOf(changedEvent('aoba-bank', 2, { labels: { 'bad key': 'x', 'RAM-0001001': 'ok' } }))).toEqual(['EVT010 payload.labels.bad key']);
});

it('refuses versions that are not positive integers and times that are not real', () => {
  expect(problemsOf({ ...purgedEvent('aoba-bank', 2), version: 1.5 })).toEqual(['EVT010 version']);
  expect(problemsOf({ ...purgedEvent('aoba-bank', 2), version: 0 })).toEqual(['EVT010 version']);
  expect(problemsOf({ ...purgedEvent('aoba-bank', 2), occurredAt: '2026-11-27T10:00:00' })).toEqual(['EVT010 occurredAt']);
  expect(problemsOf({ ...purgedEvent('aoba-bank', 2), occurredAt: '2026-13-45T10:00:00Z' })).toEqual(['EVT011 occurredAt']);
});

it('refuses ids and tenant ids that could escape into paths or shells', () => {
  for (const tenant of ['../etc', 'Acme', 'a b', 'a;rm -rf', 'x']) expect(problemsOf({ ...purgedEvent('aoba-bank', 2), tenant })).toEqual(['EVT010 tenant']);
  for (const id of ['', '../x', 'a b', '$(id)', 'x'.repeat(129)]) expect(problemsOf({ ...purgedEvent('aoba-bank', 2), id })).toEqual(['EVT010 id']);
});
