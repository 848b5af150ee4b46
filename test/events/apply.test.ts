/** Every event kind through applyEvent, on real files in a temp copy of the fleet. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { applyEvent, applyEventText } from '../../events/apply';
import { listPurged } from '../../events/due';
import { EventError } from '../../events/errors';
import { loadFleet } from '../../contract/load';
import { changedEvent, createdEvent, makeFixture, purgedEvent, terminatedEvent, type Fixture } from './helpers/fixture';

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
});
afterEach(() => fx.cleanup());

async function refusal(p: Promise<unknown>): Promise<EventError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EventError) return e;
    throw e;
  }
  throw new Error('expected the event to be refused');
}

describe('created', () => {
  it('writes a contract that loads with the fleet, allocating the lowest free blocks and VLAN', async () => {
    const r = await applyEvent(createdEvent('aoba-bank', 1, 1), fx.options());
    expect(r.outcome).toBe('applied');
    // 10.64.0-2.0/24 are held by the example tenants; 10.128.0.0/22 .. 10.128.8.0/26 likewise.
    expect(r.allocated).toEqual({ 'network.vpcCidr': '10.64.3.0/24', 'gateway.clientPool': '10.128.1.0/24', 'network.vlanId': 100 });
    const t = loadFleet(fx.paths).tenants.find((x) => x.id === 'aoba-bank');
    expect(t?.contract).toMatchObject({ status: 'active', contractVersion: 1, network: { vpcCidr: '10.64.3.0/24', vlanId: 100 }, gateway: { clientPool: '10.128.1.0/24' } });
    expect(r.stack).toEqual({ id: 'aoba-bank', dir: join(fx.outdir, 'stacks', 'aoba-bank'), action: 'deploy' });
    expect(fx.audit()).toEqual([expect.objectContaining({ outcome: 'applied', eventId: r.eventId, kind: 'created', tenant: 'aoba-bank', version: 1 })]);
  });

  it('keeps allocations the event gives and refuses a clash with another tenant, writing nothing', async () => {
    const given = createdEvent('aoba-bank', 1, 1);
    (given.payload as { network: object }).network = { linkedService: 'private-backbone', vpcCidr: '10.64.0.0/24', vlanId: 101 };
    const err = await refusal(applyEvent(given, fx.options()));
    expect(err.code).toBe('contract-invalid');
    expect(err.problems.map((p) => `${p.code} ${p.field}`)).toEqual(expect.arrayContaining(['RAS112 network.vpcCidr', 'RAS130 network.vlanId']));
    expect(existsSync(join(fx.paths.tenantsDir, 'aoba-bank.yaml'))).toBe(false);
    expect(readdirSync(fx.paths.tenantsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fx.audit()).toEqual([expect.objectContaining({ outcome: 'refused', error: expect.objectContaining({ code: 'contract-invalid' }) })]);
  });

  it('refuses a tenant that already has a contract', async () => {
    expect((await refusal(applyEvent(createdEvent('sakura-trading', 5, 1), fx.options()))).code).toBe('tenant-exists');
  });
});

describe('changed', () => {
  it('replaces the given fields, merges gateway.sizing, keeps comments and allocations', async () => {
    const before = fx.tenantText('sakura-trading');
    const r = await applyEvent(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 240 } }, labels: { 'RAN-0001001': 'ネットワーク' } }), fx.options());
    expect(r.changes.map((c) => c.path.join('.'))).toEqual(
      expect.arrayContaining(['gateway.sizing.terminals', 'labels.RAN-0001001', 'labels.RAM-0001001', 'contractVersion', 'lastEventId']),
    );
    const text = fx.tenantText('sakura-trading');
    expect(text.split('\n').slice(0, 2)).toEqual(before.split('\n').slice(0, 2)); // the header comments survive
    const c = loadFleet(fx.paths).tenants.find((t) => t.id === 'sakura-trading')!.contract;
    expect(c.gateway.sizing).toEqual({ terminals: 240, requestsPerSecond: 150 });
    expect(c.labels).toEqual({ 'RAN-0001001': 'ネットワーク' });
    expect(c.network).toEqual({ linkedService: 'private-backbone', vpcCidr: '10.64.0.0/24', vlanId: 101 });
    expect(c.gateway.clientPool).toBe('10.128.0.0/24');
  });

  it('refuses terminals beyond the client pool (an allocation never moves) and leaves the file as it was', async () => {
    const before = fx.tenantText('sakura-trading');
    const err = await refusal(applyEvent(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 600 } } }), fx.options()));
    expect(err.code).toBe('contract-invalid');
    expect(err.problems).toEqual([expect.objectContaining({ code: 'RAS120', field: 'gateway.clientPool' })]);
    expect(fx.tenantText('sakura-trading')).toBe(before);
  });

  it('refuses fields a change may not touch, naming them', async () => {
    const err = await refusal(applyEvent(changedEvent('sakura-trading', 2, { network: { vpcCidr: '10.64.9.0/24' }, region: 'ap-northeast-3' }), fx.options()));
    expect(err.code).toBe('invalid-event');
    expect(err.problems.map((p) => p.field).sort()).toEqual(['payload.network', 'payload.region']);
  });

  it('refuses an unknown tenant', async () => {
    expect((await refusal(applyEvent(changedEvent('nobody-here', 1, { labels: {} }), fx.options()))).code).toBe('unknown-tenant');
  });
});

describe('terminated and purged', () => {
  it('terminates, refuses an early purge, then purges after termination + 45 days', async () => {
    await applyEvent(terminatedEvent('sakura-trading', 2, '2026-11-20'), fx.options());
    const t = loadFleet(fx.paths).tenants.find((x) => x.id === 'sakura-trading')!;
    expect(t.contract.status).toBe('terminated');
    expect(t.erasure?.deadline).toBe('2027-01-04');

    expect((await refusal(applyEvent(changedEvent('sakura-trading', 3, { labels: {} }), fx.options()))).code).toBe('tenant-terminated');
    // 2027-01-03 23:59 in Japan is still inside the window.
    const early = fx.options({ now: () => new Date('2027-01-03T14:59:00Z') });
    expect((await refusal(applyEvent(purgedEvent('sakura-trading', 3), early))).code).toBe('retention-window-open');

    const last = fx.tenantText('sakura-trading');
    // Its last synthesized stack (stand-in JSON): kept aside for terraform destroy, since a full ras synth would drop it.
    mkdirSync(join(fx.outdir, 'stacks', 'sakura-trading'), { recursive: true });
    writeFileSync(join(fx.outdir, 'stacks', 'sakura-trading', 'cdk.tf.json'), JSON.stringify({ resource: { aws_s3_bucket: { LogArchive: {} } } }));
    const late = fx.options({ now: () => new Date('2027-01-03T15:00:00Z') }); // 2027-01-04 00:00 JST
    const r = await applyEvent(purgedEvent('sakura-trading', 3), late);
    const kept = join(fx.stateDir, 'destroy', 'sakura-trading.stack');
    expect(r.stack).toEqual({ id: 'sakura-trading', action: 'destroy', dir: kept, kept: true });
    expect(JSON.parse(readFileSync(join(kept, 'cdk.tf.json'), 'utf8'))).toEqual({ resource: { aws_s3_bucket: { LogArchive: {} } } });
    expect(listPurged(fx.stateDir)).toEqual([
      expect.objectContaining({ tenant: 'sakura-trading', stackDir: kept, resources: ['aws_s3_bucket.LogArchive'], reserved: { vpcCidr: '10.64.0.0/24', clientPool: '10.128.0.0/24', vlanId: 101 } }),
    ]);
    expect(existsSync(join(fx.paths.tenantsDir, 'sakura-trading.yaml'))).toBe(false);
    const record = fx.audit().find((a) => a.eventId === r.eventId)!;
    expect(record.contract).toEqual(parse(last)); // the audit log keeps the whole last contract

    // The id is retired and its addresses stay reserved until its stack is destroyed.
    expect((await refusal(applyEvent(createdEvent('sakura-trading', 9, 7), late))).code).toBe('tenant-purged');
    const next = await applyEvent(createdEvent('aoba-bank', 1, 8), late);
    expect(next.allocated?.['network.vpcCidr']).toBe('10.64.3.0/24');
    expect(next.allocated?.['network.vlanId']).toBe(100);
  });

  it('says so when a purged tenant has no synthesized stack to keep', async () => {
    const late = fx.options({ now: () => new Date('2027-01-01T00:00:00Z') });
    const r = await applyEvent(purgedEvent('minato-design', 1), late);
    expect(r.stack).toEqual({ id: 'minato-design', action: 'destroy', dir: join(fx.outdir, 'stacks', 'minato-design'), kept: false });
    expect(listPurged(fx.stateDir)).toEqual([expect.objectContaining({ tenant: 'minato-design', stackDir: undefined })]);
  });

  it('refuses a purge of an active tenant', async () => {
    const late = fx.options({ now: () => new Date('2030-01-01T00:00:00Z') });
    expect((await refusal(applyEvent(purgedEvent('sakura-trading', 2), late))).code).toBe('tenant-active');
  });
});

describe('duplicates and versions', () => {
  it('applies an event once: a repeat is a no-op that says so', async () => {
    const e = changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } });
    expect((await applyEvent(e, fx.options())).outcome).toBe('applied');
    const after = fx.tenantText('sakura-trading');
    const again = await applyEvent(JSON.parse(JSON.stringify(e)), fx.options());
    expect(again).toMatchObject({ outcome: 'duplicate', changes: [], synth: { status: 'skipped' } });
    expect(fx.tenantText('sakura-trading')).toBe(after);
    expect(fx.audit().map((a) => a.outcome)).toEqual(['applied', 'duplicate']);
  });

  it('refuses the same id with different content', async () => {
    const e = changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } });
    await applyEvent(e, fx.options());
    const err = await refusal(applyEvent({ ...e, payload: { gateway: { sizing: { terminals: 10 } } } }, fx.options()));
    expect(err.code).toBe('event-id-reused');
  });

  it('refuses an older version after a newer one, and an equal version with another id', async () => {
    await applyEvent(changedEvent('sakura-trading', 5, { gateway: { sizing: { terminals: 220 } } }), fx.options());
    const after = fx.tenantText('sakura-trading');
    const older = await refusal(applyEvent(changedEvent('sakura-trading', 4, { gateway: { sizing: { terminals: 10 } } }), fx.options()));
    expect(older).toMatchObject({ code: 'stale-version', status: 409, exitCode: 3 });
    expect((await refusal(applyEvent(changedEvent('sakura-trading', 5, { gateway: { sizing: { terminals: 10 } } }), fx.options()))).code).toBe('stale-version');
    expect(fx.tenantText('sakura-trading')).toBe(after);
  });

  it('refuses every event while the contracts on disk fail the checks (fail closed)', async () => {
    // tsubame-travel takes sakura-trading's VLAN on their one backbone link (ap-northeast-1's).
    const broken = join(fx.paths.tenantsDir, 'tsubame-travel.yaml');
    const text = readFileSync(broken, 'utf8');
    expect(text).toContain('vlanId: 104');
    writeFileSync(broken, text.replace('vlanId: 104', 'vlanId: 101'));
    const err = await refusal(applyEvent(changedEvent('minato-design', 2, { labels: {} }), fx.options()));
    expect(err).toMatchObject({ code: 'fleet-invalid', status: 503 });
    expect(err.problems.map((p) => p.code)).toContain('RAS130');
  });

  it('refuses malformed JSON and records it', async () => {
    expect((await refusal(applyEventText('{"id": ', fx.options()))).code).toBe('malformed-json');
    expect(fx.audit()).toEqual([expect.objectContaining({ outcome: 'refused', error: expect.objectContaining({ code: 'malformed-json' }) })]);
  });

  it('never builds a path from a tenant id the schema refuses', async () => {
    const err = await refusal(applyEvent(changedEvent('../fleet', 2, { labels: {} }, 'evt-traversal'), fx.options()));
    expect(err.problems).toEqual([expect.objectContaining({ code: 'EVT010', field: 'tenant' })]);
    expect(readFileSync(fx.paths.fleetFile, 'utf8')).toBe(readFileSync(join(__dirname, '..', '..', 'fleet.yaml'), 'utf8'));
  });
});

describe('synthesis', () => {
  it('synthesizes only the tenant the event touched and reports its stack', async () => {
    const calls: string[] = [];
    const r = await applyEvent(
      changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } }),
      fx.options({ synthesize: async (t) => (calls.push(t), { dir: `/x/stacks/${t}` }) }),
    );
    expect(calls).toEqual(['sakura-trading']);
    expect(r).toMatchObject({ synth: { status: 'done' }, stack: { dir: '/x/stacks/sakura-trading', action: 'deploy' } });
  });

  it('does not hold the tenant lock while synthesizing, and synthesis reads the latest contract', async () => {
    let nested: Promise<{ outcome: string }> | undefined;
    let synthesizedVersion: number | undefined;
    const synthesize = async (t: string) => {
      // The next event of the same tenant arrives while this synthesis runs: it must not wait for it.
      nested ??= applyEvent(changedEvent('sakura-trading', 3, { labels: {} }), fx.options({ lockTimeoutMs: 200 }));
      await nested;
      synthesizedVersion = loadFleet(fx.paths).tenants.find((x) => x.id === t)!.contract.contractVersion;
      return { dir: t };
    };
    await applyEvent(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } }), fx.options({ synthesize }));
    expect(await nested).toMatchObject({ outcome: 'applied' });
    expect(synthesizedVersion).toBe(3);
  });

  it('reports a failed synthesis without undoing the applied contract', async () => {
    const r = await applyEvent(
      changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } }),
      fx.options({ synthesize: async () => Promise.reject(new Error('boom')) }),
    );
    expect(r.synth).toEqual({ status: 'failed', error: 'boom' });
    expect(loadFleet(fx.paths).tenants.find((t) => t.id === 'sakura-trading')!.contract.contractVersion).toBe(2);
  });
});
