/**
 * Opens the reports in a real headless Chromium (Debian's, driven by playwright-core): they
 * render with no console error and no network request, show all 42 controls, and print to a PDF
 * whose text (Debian's pdftotext, poppler-utils) holds every control id and the page's language.
 * A missing browser or pdftotext fails this test: the report is only proven readable where it was rendered.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { evaluateFleet } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { collectProvenance } from '../../report/provenance';
import { writeReports } from '../../report/write';
import { synthTenants } from '../../stacks/synth';
import { launchChromium, pdfTextOf } from '../helpers/chromium';
import { Workspace } from '../helpers/workspace';

const CONTROL_IDS: string[] = JSON.parse(readFileSync(join(__dirname, '../../policies/catalog/controls.json'), 'utf8')).controls.map((c: { id: string }) => c.id);
let ws: Workspace;
let reports: string;
let context: BrowserContext;
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  ws = new Workspace();
  const outdir = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir });
  reports = join(ws.dir, 'reports');
  writeReports(evaluateFleet(readFleetViews(outdir, { rolesDir: join(__dirname, '..', '..', 'ansible', 'roles') })), reports, collectProvenance(ws.paths));
  ({ context, close } = await launchChromium());
});

afterAll(async () => {
  await close();
  ws?.remove();
});

/** The text of a PDF, as pdftotext reads it (reading order, UTF-8). */
function pdfText(pdf: Buffer): string {
  const file = join(ws.dir, `print-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return pdfTextOf(file);
}

/** The control ids not found in `text` as whole ids (5.1.1 does not count as found inside 15.1.1). */
function missingIds(text: string): string[] {
  return CONTROL_IDS.filter((id) => !new RegExp(`(?<![\\w.])${id.replace(/\./g, '\\.')}(?![\\w]|\\.\\d)`).test(text));
}

async function open(file: string) {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
  });
  const response = await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  expect(response?.ok()).toBe(true);
  return { page, problems };
}

test.each([
  ['sakura-trading', 'en', 'Contact with authorities'],
  ['sakura-trading', 'ja', '関係当局との連絡'],
  ['kitakaze-logistics', 'ja', '適用範囲外'],
  ['minato-design', 'en', 'Removal of cloud service customer assets'],
])('%s report.%s.html renders all 42 controls without errors and prints them to a PDF with their ids as text', async (tenant, lang, text) => {
  const { page, problems } = await open(join(reports, tenant, `report.${lang}.html`));
  expect(await page.locator('section.control[data-control]').count()).toBe(42);
  expect(await page.locator('section.control[data-status="procedural"]').count()).toBe(17);
  await expect(page.getByText(text, { exact: false }).first().isVisible()).resolves.toBe(true);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(20_000);
  const printed = pdfText(pdf);
  expect(CONTROL_IDS).toHaveLength(42);
  expect(missingIds(printed)).toEqual([]);
  // The page's language reached the PDF as text (for Japanese: CJK glyphs with a text mapping).
  expect(printed.replace(/\s+/g, '')).toContain(text.replace(/\s+/g, ''));
  expect(problems).toEqual([]);
  await page.close();
});

test('the fleet page counts the controls, links its page of controls x tenants, and that page each report', async () => {
  const { page, problems } = await open(join(reports, 'index.ja.html'));
  expect(await page.locator('table.fleet-counts tr[data-control]').count()).toBe(42);
  await page.locator('a[href="fleet-page-0001.ja.html"]').click();
  await page.waitForLoadState('load');
  expect(await page.locator('tr[data-control]').count()).toBe(42);
  expect(await page.locator('tr[data-control] td[data-tenant]').count()).toBe(42 * 4); // four example tenants
  await page.locator('a[href="sakura-trading/report.ja.html"]').click();
  await page.waitForLoadState('load');
  expect(page.url()).toMatch(/sakura-trading\/report\.ja\.html$/);
  expect(await page.locator('section.control').count()).toBe(42);
  expect(problems).toEqual([]);
  await page.close();
});
