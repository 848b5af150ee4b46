/** The benchmark's cost-per-tenant lines: the arithmetic and the verdict on flatness. */
import { costPerTenant, type Row } from '../bench/run';

const row = (tenants: number, seconds: number): Row => ({
  scenario: 'full job',
  tenants,
  ours: { wallMs: seconds * 1000, peakMb: 100, exitCode: 0, stderr: '' },
});

test('a linear job is flat per added tenant while its average falls with the fixed cost', () => {
  // 1.5 s fixed + 8 ms a tenant from 100 up.
  const lines = costPerTenant([row(1, 0.5), row(100, 2.3), row(550, 5.9), row(1000, 9.5)]).join('\n');
  expect(lines).toContain('| 550 | 10.7 ms | 8.0 ms (from 100) |');
  expect(lines).toContain('One more tenant costs 8.0 ms from 100 → 550 and 8.0 ms from 550 → 1000: ratio 1.00, flat within 10%.');
  expect(lines).toContain('about 1.5 s of every run is fixed');
});

test('a job whose cost per tenant grows is not called flat', () => {
  const lines = costPerTenant([row(1, 0.5), row(100, 2.3), row(550, 5.9), row(1000, 11.3)]).join('\n');
  expect(lines).toContain('ratio 1.50, **not** flat within 10%');
});

test('without two steps between 100 and 1,000 tenants there is the table but no verdict', () => {
  const table = ['Cost per tenant, full job:', '', '| tenants | T(N) / N | per tenant added since the previous size |', '|---:|---:|---:|'];
  // Only a step from 1: below the range.
  expect(costPerTenant([row(1, 0.5), row(100, 2.3)])).toEqual([...table, '| 1 | 500.0 ms | — |', '| 100 | 23.0 ms | 18.2 ms (from 1) |', '']);
  // 100 → 550 is in range, 550 → 2000 ends above it: one step is no comparison.
  expect(costPerTenant([row(1, 0.5), row(100, 2.3), row(550, 5.9), row(2000, 20)])).toEqual([
    ...table,
    '| 1 | 500.0 ms | — |',
    '| 100 | 23.0 ms | 18.2 ms (from 1) |',
    '| 550 | 10.7 ms | 8.0 ms (from 100) |',
    '| 2000 | 10.0 ms | 9.7 ms (from 550) |',
    '',
  ]);
});
