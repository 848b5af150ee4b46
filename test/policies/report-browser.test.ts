/**
 * Opens the reports in a real headless Chromium (Debian's, driven by playwright-core): they
 * render with no console error and no network request, show all 42 controls, and print to PDF.
 * A missing browser fails this test: the report is only proven readable where it was rendered.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { evaluateFleet } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { writeReports } from '../../report/write';
import { synthTenants } from '../../stacks/synth';
import { Workspace } from '../helpers/workspace';

const CHROMIUM = process.env.RAS_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let ws: Workspace;
let reports: string;
let profile: string;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (scripts/debian-packages.txt) or set RAS_CHROMIUM`);
  ws = new Workspace();
  const outdir = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir });
  reports = join(ws.dir, 'reports');
  writeReports(evaluateFleet(readFleetViews(outdir)), reports);
  profile = mkdtempSync(join(tmpdir(), 'ras-chromium-profile-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
});

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  ws?.remove();
});

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
])('%s report.%s.html renders all 42 controls without errors and prints to PDF', async (tenant, lang, text) => {
  const { page, problems } = await open(join(reports, tenant, `report.${lang}.html`));
  expect(await page.locator('section.control[data-control]').count()).toBe(42);
  expect(await page.locator('section.control[data-status="procedural"]').count()).toBe(17);
  await expect(page.getByText(text, { exact: false }).first().isVisible()).resolves.toBe(true);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(20_000);
  expect(problems).toEqual([]);
  await page.close();
});

test('the fleet page renders controls x tenants and links to each report', async () => {
  const { page, problems } = await open(join(reports, 'index.ja.html'));
  expect(await page.locator('tr[data-control]').count()).toBe(42);
  expect(await page.locator('tr[data-control] td[data-tenant]').count()).toBe(42 * 3);
  await page.locator('a[href="sakura-trading/report.ja.html"]').click();
  await page.waitForLoadState('load');
  expect(page.url()).toMatch(/sakura-trading\/report\.ja\.html$/);
  expect(await page.locator('section.control').count()).toBe(42);
  expect(problems).toEqual([]);
  await page.close();
});
