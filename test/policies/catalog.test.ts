/** The catalog is the whitepaper's 42 controls, valid against its schema, and the pack covers every configuration control. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import catalog from '../../policies/catalog/controls.json';
import { CONTROLS, validateCatalog } from '../../policies/catalog';
import { ISO27017_PACK } from '../../policies/packs/iso27017';

// The whitepaper's order (../shared/docs/service-commitments.md, "All 42 controls").
const WHITEPAPER_ORDER = [
  '5.1.1', '6.1.1', '6.1.3', 'CLD6.3.1', '7.2.2', '8.1.1', '8.2.2', 'CLD8.1.5', '9.2.1', '9.2.2', '9.2.3', '9.2.4',
  '9.4.1', '9.4.4', 'CLD9.5.1', 'CLD9.5.2', '10.1.1', '11.2.7', '12.1.2', '12.1.3', '12.3.1', '12.4.1', '12.4.3',
  '12.4.4', '12.6.1', 'CLD12.1.5', 'CLD12.4.5', '13.1.3', 'CLD13.1.4', '14.1.1', '14.2.1', '15.1.1', '15.1.2',
  '15.1.3', '16.1.1', '16.1.2', '16.1.7', '18.1.1', '18.1.2', '18.1.3', '18.1.5', '18.2.1',
];
const PROCEDURAL = ['5.1.1', '6.1.1', 'CLD6.3.1', '7.2.2', '9.2.4', '11.2.7', '14.1.1', '14.2.1', 'CLD12.1.5', '15.1.1', '15.1.2', '15.1.3', '16.1.1', '16.1.2', '16.1.7', '18.1.2', '18.2.1'];

test('the catalog lists the 42 controls in the whitepaper order', () => {
  expect(CONTROLS.map((c) => c.id)).toEqual(WHITEPAPER_ORDER);
});

test('procedural and configuration evidence follow the service commitments', () => {
  expect(CONTROLS.filter((c) => c.evidence === 'procedural').map((c) => c.id).sort()).toEqual([...PROCEDURAL].sort());
  expect(CONTROLS.filter((c) => c.evidence === 'configuration')).toHaveLength(25);
});

test('sections follow the whitepaper: chapter.item, in order', () => {
  const sections = CONTROLS.map((c) => c.section.split('.').map(Number));
  for (let i = 1; i < sections.length; i++) {
    const [a, b] = [sections[i - 1], sections[i]];
    expect(b[0] > a[0] || (b[0] === a[0] && b[1] === a[1] + 1)).toBe(true);
  }
  expect(CONTROLS.find((c) => c.id === 'CLD8.1.5')).toMatchObject({ section: '4.3', title: { ja: 'クラウドサービスカスタマの資産の除去' } });
  expect(CONTROLS.find((c) => c.id === 'CLD8.1.5')?.commitment.ja).toContain('45 日以内');
});

test('the schema refuses a broken catalog', () => {
  expect(validateCatalog(catalog)).toEqual([]);
  const broken = JSON.parse(JSON.stringify(catalog));
  delete broken.controls[0].title.ja;
  broken.controls[1].evidence = 'maybe';
  expect(validateCatalog(broken)).toEqual(expect.arrayContaining([expect.stringContaining('/controls/0/title'), expect.stringContaining('/controls/1/evidence')]));
  const twice = JSON.parse(JSON.stringify(catalog));
  twice.controls[1].id = twice.controls[0].id;
  expect(validateCatalog(twice)).toEqual(['control 5.1.1 listed twice']);
  const short = { ...catalog, controls: catalog.controls.slice(1) };
  expect(validateCatalog(short)).not.toEqual([]);
});

test('every configuration control has at least one rule; procedural ones have none', () => {
  for (const c of CONTROLS) {
    const rules = ISO27017_PACK.filter((e) => e.controls.includes(c.id));
    if (c.evidence === 'configuration') expect({ control: c.id, rules: rules.length > 0 }).toEqual({ control: c.id, rules: true });
    else expect({ control: c.id, rules: rules.map((r) => r.id) }).toEqual({ control: c.id, rules: [] });
  }
});

test('the pack names only catalog controls, and each rule id is its file and function', () => {
  const ids = new Set(CONTROLS.map((c) => c.id));
  const files = readdirSync(join(__dirname, '..', '..', 'policies', 'rules')).map((f) => f.replace(/\.ts$/, ''));
  for (const e of ISO27017_PACK) {
    for (const c of e.controls) expect(ids.has(c)).toBe(true);
    expect(e.rule.name).toBe(e.id);
    expect(files).toContain(e.id);
    expect(e.explanation.en.length).toBeGreaterThan(10);
    expect(e.explanation.ja.length).toBeGreaterThan(5);
  }
  expect(ISO27017_PACK.map((e) => e.id).sort()).toEqual(files.sort());
});
