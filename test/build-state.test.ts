/**
 * The incremental build's record (build/incremental.ts): what is written is what is read back, the
 * control statuses stored one letter each, and a line that cannot be read rebuilds only its tenant.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readState, StateWriter, type TenantRecord } from '../build/incremental';
import { CONTROLS } from '../policies/catalog';
import type { ControlStatus } from '../policies/evaluate';

let dir: string;
let out: string;
let reports: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-state-'));
  [out, reports, file] = [join(dir, 'out'), join(dir, 'reports'), join(dir, 'cache', 'build-x.json')];
  mkdirSync(join(out, 'stacks'), { recursive: true });
  mkdirSync(reports);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STATUSES: ControlStatus[] = ['compliant', 'compliant_by_exception', 'non_compliant', 'not_applicable', 'procedural'];

function record(tenant: string, controls: { control: { id: string }; status: ControlStatus }[]): TenantRecord {
  return {
    key: `key-${tenant}`,
    queries: [{ ask: 'sameVlan', value: '100', except: tenant, answer: [] }],
    verdict: { tenant, status: 'active', scope: { inScope: true, reasons: [] }, rules: [], controls, passed: true },
    used: [],
    target: { kind: 'none', reason: 'test' } as unknown as TenantRecord['target'],
  };
}

function readAll(): Map<string, TenantRecord> {
  const seen = new Map<string, TenantRecord>();
  readState(file, out, reports, (tenant, r) => seen.set(tenant, r));
  return seen;
}

test('records read back as written; statuses in catalog order take one letter each', () => {
  const inOrder = record('a-corp', CONTROLS.map((c, k) => ({ control: { id: c.id }, status: STATUSES[k % STATUSES.length] })));
  const reversed = record('b-corp', [...CONTROLS].reverse().map((c) => ({ control: { id: c.id }, status: 'procedural' as const })));
  const w = new StateWriter(file);
  w.add('a-corp', inOrder);
  w.add('b-corp', reversed);
  w.commit(out, reports);
  expect(readAll()).toEqual(new Map([['a-corp', inOrder], ['b-corp', reversed]]));
  const [a, b] = readFileSync(file.replace(/\.json$/, '.records.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(a.verdict.controls).toBe(CONTROLS.map((_, k) => 'cenap'[k % 5]).join(''));
  // Another order is kept as it is, never re-sorted into the catalog's.
  expect(b.verdict.controls).toHaveLength(CONTROLS.length);
  expect(b.verdict.controls[0].control.id).toBe(CONTROLS[CONTROLS.length - 1].id);
});

test("a line whose statuses cannot be read leaves only that tenant out (it is rebuilt); output replaced elsewhere leaves all out", () => {
  const w = new StateWriter(file);
  for (const t of ['a-corp', 'b-corp', 'c-corp']) w.add(t, record(t, CONTROLS.map((c) => ({ control: { id: c.id }, status: 'compliant' as const }))));
  w.commit(out, reports);
  const records = file.replace(/\.json$/, '.records.ndjson');
  const lines = readFileSync(records, 'utf8').trim().split('\n');
  const damaged = JSON.parse(lines[1]);
  damaged.verdict.controls = `x${damaged.verdict.controls.slice(1)}`;
  const short = JSON.parse(lines[2]);
  short.verdict.controls = short.verdict.controls.slice(1);
  writeFileSync(records, [lines[0], JSON.stringify(damaged), JSON.stringify(short)].join('\n'));
  expect([...readAll().keys()]).toEqual(['a-corp']);
  // The output folders are not the ones the record describes: nothing is reused.
  rmSync(reports, { recursive: true });
  mkdirSync(reports);
  expect(readAll().size).toBe(0);
});
