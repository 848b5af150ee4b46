/**
 * `ras evidence` as a real process on a copy of the examples: the pack holds the reports and
 * their PDFs in both languages, the results, catalog, suppressions, contract hashes and a
 * manifest that Debian's `sha256sum -c` accepts, and rejects once one byte is changed. The zip
 * is opened with Debian's unzip; the PDFs are read with pdftotext (page 1: provenance and
 * contents; every page numbered).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pdfTextOf } from '../helpers/chromium';
import { ras } from '../helpers/cli';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
let pack: string;
let stdout: string;

const sha256sum = (cwd: string, list: string) => spawnSync('sha256sum', ['-c', '--strict', list], { cwd, encoding: 'utf8' });

beforeAll(async () => {
  ws = new Workspace();
  const r = await ras(['evidence', '--out', 'audit/pack.zip', '--quiet'], ws.dir, { SOURCE_DATE_EPOCH: '1795737600' });
  expect({ code: r.exitCode, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  stdout = r.stdout;
  pack = join(ws.dir, 'unpacked');
  mkdirSync(pack);
  execFileSync('unzip', ['-q', join(ws.dir, 'audit', 'pack.zip'), '-d', pack]);
}, 300_000);
afterAll(() => ws?.remove());

test('the pack holds reports with PDFs in both languages, results, catalog, suppressions, contract hashes and provenance', () => {
  expect(stdout).toMatch(/^audit\/pack\.zip: evidence pack of 4 tenant\(s\), \d+ file\(s\)/);
  for (const t of ['kitakaze-logistics', 'minato-design', 'sakura-trading']) {
    for (const f of ['report.en.html', 'report.ja.html', 'report.en.pdf', 'report.ja.pdf', 'report.json']) expect(existsSync(join(pack, 'reports', t, f))).toBe(true);
  }
  for (const f of ['index.en.pdf', 'index.ja.pdf', 'index.en.html', 'fleet.json', 'fleet-page-0001.en.pdf', 'fleet-page-0001.ja.pdf']) expect(existsSync(join(pack, 'reports', f))).toBe(true);
  const results = JSON.parse(readFileSync(join(pack, 'results.json'), 'utf8'));
  expect(results.tenants.map((t: any) => [t.tenant, t.verdict])).toEqual([['kitakaze-logistics', 'information_only'], ['minato-design', 'passed'], ['sakura-trading', 'passed'], ['tsubame-travel', 'information_only']]);
  expect(results.tenants[0].rules.find((r: any) => r.id === 'GatewayCryptoWithinProfile').exception.approvedOn).toBe('2019-02-14');
  expect(JSON.parse(readFileSync(join(pack, 'catalog.json'), 'utf8')).controls).toHaveLength(42);
  expect(JSON.parse(readFileSync(join(pack, 'suppressions.json'), 'utf8'))).toEqual({ suppressions: [], unused: [] });
  const provenance = JSON.parse(readFileSync(join(pack, 'provenance.json'), 'utf8'));
  expect(provenance.generatedAt).toBe('2026-11-27T09:00:00+09:00');
  // The contract hashes check out against the contracts themselves.
  expect(sha256sum(ws.dir, join(pack, 'contracts.sha256')).status).toBe(0);
  expect(readFileSync(join(pack, 'contracts.sha256'), 'utf8').trim().split('\n')).toHaveLength(5);
});

test('sha256sum -c accepts the manifest, which lists every file, and rejects it after one byte changes', () => {
  const manifest = readFileSync(join(pack, 'MANIFEST.sha256'), 'utf8').trim().split('\n');
  const listed = manifest.map((l) => l.slice(66));
  expect(listed).toEqual(expect.arrayContaining(['results.json', 'catalog.json', 'suppressions.json', 'contracts.sha256', 'provenance.json', 'reports/sakura-trading/report.ja.pdf']));
  const all = execFileSync('find', ['.', '-type', 'f', '!', '-name', 'MANIFEST.sha256'], { cwd: pack, encoding: 'utf8' }).trim().split('\n').map((f) => f.slice(2)).sort();
  expect([...listed].sort()).toEqual(all);
  const ok = sha256sum(pack, 'MANIFEST.sha256');
  expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });

  const file = join(pack, 'reports', 'kitakaze-logistics', 'report.json');
  const bytes = readFileSync(file);
  const at = bytes.indexOf('information_only');
  bytes[at] = 'I'.charCodeAt(0);
  writeFileSync(file, bytes);
  const bad = sha256sum(pack, 'MANIFEST.sha256');
  expect(bad.status).toBe(1);
  expect(bad.stdout).toContain('reports/kitakaze-logistics/report.json: FAILED');
  expect(bad.stdout.match(/FAILED/g)).toHaveLength(1);
});

test.each([
  ['en', 'Provenance of this evidence', 'intended configuration (synthesized)', 'Contents'],
  ['ja', 'このエビデンスの出所', '意図された構成（合成出力）', '目次'],
])('the %s PDF has the provenance and the table of contents on page 1, and every page numbered', (lang, heading, kind, contents) => {
  const pdf = join(pack, 'reports', 'sakura-trading', `report.${lang}.pdf`);
  const pages = pdfTextOf(pdf, true).split('\f').filter((p) => p.trim() !== '');
  expect(pages.length).toBeGreaterThan(10);
  const first = pages[0].replace(/\s+/g, '');
  for (const text of [heading, kind, contents, '2026-11-27T09:00:00+09:00']) expect(first).toContain(text.replace(/\s+/g, ''));
  pages.forEach((page, i) => expect(page).toMatch(new RegExp(`^\\s*${i + 1} / ${pages.length}\\s*$`, 'm')));
  // The outline (the PDF viewer's table of contents) is embedded.
  expect(readFileSync(pdf).includes('/Outlines')).toBe(true);
  const fleet = pdfTextOf(join(pack, 'reports', `index.${lang}.pdf`), true).split('\f')[0].replace(/\s+/g, '');
  expect(fleet).toContain(kind.replace(/\s+/g, ''));
  // The fleet's page prints its grid: every tenant of the page and the controls' rows.
  const page = pdfTextOf(join(pack, 'reports', `fleet-page-0001.${lang}.pdf`), true).replace(/\s+/g, '');
  for (const text of ['kitakaze-logistics', 'tsubame-travel', 'CLD9.5.2', kind.replace(/\s+/g, '')]) expect(page).toContain(text);
});

test('--out is required, and a folder works as well as a zip', async () => {
  const missing = await ras(['evidence', '--no-synth'], ws.dir);
  expect(missing.exitCode).toBe(2);
  expect(missing.stderr).toContain('--out DIR|FILE.zip is required');
  const r = await ras(['evidence', '--no-synth', '--out', 'folder', '--quiet'], ws.dir);
  expect(r.exitCode).toBe(0);
  expect(sha256sum(join(ws.dir, 'folder'), 'MANIFEST.sha256').status).toBe(0);
  expect(existsSync(join(ws.dir, 'folder', 'reports', 'index.ja.pdf'))).toBe(true);
}, 300_000);
