/** How the fleet page is cut into pages, and what names its files may have. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLEET_PAGE_FILE, fleetPageDataFile, fleetPageFile, fleetPages, fleetPageTenants } from '../../report/fleet-pages';

test('pages of 100 tenants by default, the last one shorter; every tenant on exactly one page', () => {
  const pages = fleetPages(250, fleetPageTenants({}));
  expect(pages.map((p) => [p.start, p.end])).toEqual([
    [0, 100],
    [100, 200],
    [200, 250],
  ]);
  expect(pages.every((p) => p.count === 3)).toBe(true);
  expect(fleetPages(200, 100)).toHaveLength(2);
  // No tenant still makes one (empty) page, so the overview always has a page to link.
  expect(fleetPages(0, 100)).toEqual([{ index: 0, count: 1, start: 0, end: 0 }]);
});

test('RAS_FLEET_PAGE_TENANTS sets the page size; anything but a whole number from 1 to 10000 is refused by name', () => {
  expect(fleetPageTenants({ RAS_FLEET_PAGE_TENANTS: '2' })).toBe(2);
  expect(fleetPageTenants({ RAS_FLEET_PAGE_TENANTS: '' })).toBe(100);
  for (const bad of ['0', '-1', '1.5', '10001', 'ten', '1e3', ' 5']) expect(() => fleetPageTenants({ RAS_FLEET_PAGE_TENANTS: bad })).toThrow(/^RAS_FLEET_PAGE_TENANTS must be a whole number from 1 to 10000/);
});

test("a page's files are never a tenant's folder name, and the name pattern knows them", () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'contract', 'schema', 'tenant.schema.json'), 'utf8'));
  const tenantName = new RegExp(schema.definitions.name.pattern);
  for (const name of [fleetPageFile(0, 'en', 'html'), fleetPageFile(9, 'ja', 'md'), fleetPageFile(12344, 'en', 'md'), fleetPageDataFile(41)]) {
    expect(name).toMatch(FLEET_PAGE_FILE);
    expect(name).not.toMatch(tenantName);
  }
  expect(fleetPageFile(0, 'en', 'html')).toBe('fleet-page-0001.en.html');
  expect(fleetPageDataFile(41)).toBe('fleet-page-0042.json');
  for (const other of ['index.en.html', 'fleet.en.md', 'fleet.json', 'fleet-page-0001.en.html.tmp', 'fleet-page-1.en.html', 'fleet-page-0001.json.tmp', 'fleet-page-0001.en.json']) expect(other).not.toMatch(FLEET_PAGE_FILE);
});
