/** `ras contract apply|due` as real processes: output, exit codes, and real synthesis of one tenant. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { changedEvent, createdEvent, makeFixture, runContractCli, terminatedEvent, type Fixture } from './helpers/fixture';

let fx: Fixture;
beforeEach(() => {
  fx = makeFixture();
});
afterEach(() => fx.cleanup());

const apply = (event: unknown, ...flags: string[]) =>
  runContractCli(['apply', '-', '--fleet', fx.paths.fleetFile, '--tenants', fx.paths.tenantsDir, '--state', fx.stateDir, '--outdir', fx.outdir, ...flags], {
    cwd: fx.root,
    input: typeof event === 'string' ? event : JSON.stringify(event),
  });

it('applies, synthesizes only that tenant, and reports the stack to deploy', async () => {
  const created = createdEvent('aoba-bank', 1, 1);
  const r = await apply(created);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`applied: event ${created.id as string} (created of aoba-bank, version 1)`);
  expect(r.stdout).toContain('allocated network.vpcCidr = 10.64.3.0/24');
  expect(r.stdout).toContain(`stack to deploy: ${join(fx.outdir, 'stacks', 'aoba-bank')}`);
  expect(existsSync(join(fx.outdir, 'stacks', 'aoba-bank', 'cdk.tf.json'))).toBe(true);
  expect(readdirSync(join(fx.outdir, 'stacks'))).toEqual(['aoba-bank']);

  const again = await apply(created);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/^duplicate: event .* was already applied; nothing changed/);
});

it('maps refusals to exit codes: 1 invalid, 3 conflict, 2 usage', async () => {
  const invalid = await apply(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: -1 } } }), '--no-synth');
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('refused (invalid-event)');
  expect(invalid.stderr).toContain('payload.gateway.sizing.terminals: EVT010 must be >= 1 (got -1)');

  expect((await apply('not json', '--no-synth')).code).toBe(1);
  expect((await apply(changedEvent('sakura-trading', 3, { labels: {} }), '--no-synth')).code).toBe(0);
  const stale = await apply(changedEvent('sakura-trading', 2, { labels: {} }), '--no-synth');
  expect(stale.code).toBe(3);
  expect(stale.stderr).toContain('refused (stale-version)');

  expect((await runContractCli(['apply'], { cwd: fx.root })).code).toBe(2);
  expect((await runContractCli(['apply', 'x.json', '--bogus'], { cwd: fx.root })).code).toBe(2);
  expect((await runContractCli(['explode'], { cwd: fx.root })).code).toBe(2);
});

it('prints machine-readable results with --json', async () => {
  const r = await apply(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 220 } } }), '--no-synth', '--json');
  expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'applied', tenant: 'sakura-trading', version: 2, synth: { status: 'skipped' } });
  const refused = await apply(changedEvent('sakura-trading', 2, { labels: {} }), '--no-synth', '--json');
  expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'stale-version' } });
});

it('applies a recorded stream (JSON array or one event per line) in order, going on after a refusal', async () => {
  const events = [
    changedEvent('sakura-trading', 3, { gateway: { sizing: { terminals: 230 } } }),
    changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 10 } } }), // older: refused
    changedEvent('kitakaze-logistics', 2, { labels: {} }),
  ];
  const lines = await apply(events.map((e) => JSON.stringify(e)).join('\n'), '--no-synth', '--json');
  expect(lines.code).toBe(3); // the first failure
  expect(lines.stdout.trim().split('\n').map((l) => JSON.parse(l) as { outcome?: string; error?: { code: string } }).map((r) => r.outcome ?? r.error?.code)).toEqual([
    'applied',
    'stale-version',
    'applied',
  ]);
  const again = await apply(JSON.stringify(events), '--no-synth');
  expect(again.stdout.match(/^duplicate:/gm)).toHaveLength(2);
  expect(fx.audit()).toHaveLength(6);
});

describe('due', () => {
  const due = (...args: string[]) => runContractCli(['due', '--fleet', fx.paths.fleetFile, '--tenants', fx.paths.tenantsDir, '--outdir', fx.outdir, ...args], { cwd: fx.root });

  it('lists tenants whose 45-day window has ended or ends soon, with what destroying them removes', async () => {
    expect((await apply(terminatedEvent('sakura-trading', 2, '2026-12-01'))).code).toBe(0); // synthesized: its stack JSON is there

    const none = await due('--date', '2026-12-01');
    expect(none.stdout).toContain("no terminated tenant's erasure window ends by 2026-12-01");

    const soon = JSON.parse((await due('--date', '2026-12-01', '--within', '45', '--json')).stdout) as { tenants: { tenant: string; windowEnd: string; windowEnded: boolean; daysLeft: number; resources?: string[] }[] };
    expect(soon.tenants.map((t) => [t.tenant, t.windowEnd, t.windowEnded, t.daysLeft])).toEqual([
      ['minato-design', '2026-12-30', false, 29],
      ['sakura-trading', '2027-01-15', false, 45],
    ]);
    expect(soon.tenants[0].resources).toBeUndefined(); // never synthesized in this fixture
    expect(soon.tenants[1].resources).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket\./)]));
    expect(soon.tenants[1].resources).not.toEqual(expect.arrayContaining([expect.stringMatching(/^aws_instance\./)])); // the gateway is gone
    // The synthesized stack erases the archive before termination + 45 days (CLD8.1.5).
    const erasedFrom = (soon.tenants[1] as { archiveErasedFrom?: string }).archiveErasedFrom;
    expect(erasedFrom).toBeDefined();
    expect(erasedFrom! <= '2027-01-15').toBe(true);

    const ended = await due('--date', '2027-01-15');
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain('minato-design: terminated 2026-11-15; window ended on 2026-12-30');
    expect(ended.stdout).toContain('sakura-trading: terminated 2026-12-01; window ended on 2027-01-15');
    expect(ended.stdout).toMatch(/destroying it removes \d+ resource\(s\):\n {4}aws_/);
  });

  it('refuses a date that is not a calendar date', async () => {
    const r = await due('--date', '2026-02-30');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--date "2026-02-30" is not a calendar date');
  });
});
