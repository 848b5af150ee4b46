/**
 * lib/sizing.ts takes each size class's terminal limit from the capacity bench's measurement
 * (bench/gateway-capacity.json): the largest count held, scaled by vCPUs, less the margin, and
 * never above the design figure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZE_CLASSES, provenTerminals, sizeClassesFrom, sizeFor, type CapacityData } from '../../lib/sizing';

const held = (terminals: number) => ({ terminals, established: terminals, rekey: { establishedAfter: terminals } });

describe('size classes from the measured capacity', () => {
  test('the largest count held completely is the proven capacity; a stalled or lossy run does not count', () => {
    const data: CapacityData = {
      machine: { cpus: 2 },
      runs: [held(250), held(1000), { terminals: 3000, established: 2100, limitedBy: 'no further IKE_SA established for 40 s' }, { terminals: 2000, established: 2000, rekey: { establishedAfter: 1990 } }],
    };
    expect(provenTerminals(data)).toBe(1000);
  });

  test('a measurement below the design figure caps the class, scaled by vCPUs and reduced by the margin', () => {
    const classes = sizeClassesFrom({ machine: { cpus: 2 }, runs: [held(250), held(1000)] }, 0.8);
    const by = Object.fromEntries(classes.map((c) => [c.name, c]));
    expect(by.small).toMatchObject({ maxTerminals: 250, capacityBasis: 'measured' });
    expect(by.medium).toMatchObject({ maxTerminals: 1000, capacityBasis: 'scaled' });
    expect(by.large.maxTerminals).toBe(3000); // 1000 x 8/2 x 0.8 = 3200, design 3000
    expect(by.xlarge.maxTerminals).toBe(6400); // 1000 x 16/2 x 0.8, below the design 10000
  });

  test('a weak measurement lowers even the smallest class', () => {
    const classes = sizeClassesFrom({ machine: { cpus: 2 }, runs: [held(200)] }, 0.8);
    expect(classes[0].maxTerminals).toBe(160);
  });

  test('no run that held its tunnels is an error, not a default', () => {
    expect(() => sizeClassesFrom({ machine: { cpus: 2 }, runs: [{ terminals: 250, established: 10, limitedBy: 'stalled' }] })).toThrow(/no run held all its tunnels/);
    expect(() => sizeClassesFrom({ machine: { cpus: 0 }, runs: [held(250)] })).toThrow(/machine.cpus/);
  });

  test('the committed measurement sets the classes: 500 terminals held on 2 cores, scaled by vCPUs, less the margin', () => {
    const data = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bench', 'gateway-capacity.json'), 'utf8')) as CapacityData;
    expect(provenTerminals(data)).toBe(500);
    expect(SIZE_CLASSES).toEqual(sizeClassesFrom(data));
    expect(SIZE_CLASSES.map((c) => [c.name, c.maxTerminals, c.capacityBasis])).toEqual([
      ['small', 250, 'measured'], // 500 x 2/2 x 0.8 = 400, design 250
      ['medium', 800, 'scaled'], // 500 x 4/2 x 0.8, below the design 1,000
      ['large', 1600, 'scaled'],
      ['xlarge', 3200, 'scaled'],
    ]);
    expect(sizeFor(250, 1)?.name).toBe('small');
    expect(sizeFor(251, 1)?.name).toBe('medium');
    expect(sizeFor(801, 1)?.name).toBe('large');
    expect(sizeFor(3201, 1)).toBeUndefined();
  });
});
