/**
 * Writes the reports:
 *   <dir>/index.{en,ja}.html, fleet.{en,ja}.md, fleet.json           the fleet page: each control counted over the fleet
 *   <dir>/fleet-page-NNNN.{en,ja}.html, .md, .json                      its pages: controls x 100 tenants each
 *   <dir>/<tenant>/report.{en,ja}.html, report.{en,ja}.md, report.json  one tenant, all 42 controls
 * The folder is rebuilt whole, so a tenant that left the fleet leaves no stale report behind:
 * written aside and swapped in (lib/output-dirs.ts), so an interrupted run leaves the previous
 * reports as they were.
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeAll } from '../lib/fd';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { advance, endPhase, startPhase } from '../lib/progress';
import type { FleetEvaluation, FleetVerdict, TenantEvaluation } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import { type DeployedReading, fleetReport, tenantReport } from './document';
import { tenantProvenance, type Provenance } from './provenance';
import { fleetIndexHtml, fleetPageHtml } from './fleet-html';
import { fleetIndexMarkdown, fleetPageMarkdown } from './fleet-markdown';
import { fleetJson, fleetPageJson } from './fleet-json';
import { fleetPageDataFile, fleetPageFile, fleetPageFiles, fleetPages, pageTenants } from './fleet-pages';
import { tenantHtml } from './html';
import { LANGS } from './i18n';
import { tenantMarkdown } from './markdown';

export { reportTime } from './provenance';

/**
 * Writes every report into `dir`, replacing it whole; returns the files (as paths in `dir`).
 * `deployed`: the deployed state read for some tenants (ras drift's reading); their reports show it beside the intent.
 */
export function writeReports(evaluation: FleetEvaluation, dir: string, provenance: Provenance, deployed: ReadonlyMap<string, DeployedReading> = new Map()): string[] {
  const unlock = lockOutputs([dir]);
  const staging = stagingDir(dir);
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(staging), { recursive: true });
    mkdirSync(staging);
    startPhase('writing reports', evaluation.tenants.length);
    const written = writeFleetReport(evaluation, staging, provenance, deployed);
    for (const t of evaluation.tenants) {
      written.push(...writeTenantReport(t, evaluation, staging, tenantProvenance(provenance, t.tenant), deployed.get(t.tenant)));
      advance();
    }
    endPhase();
    replaceWhole(staging, dir);
    return written.map((file) => join(dir, file.slice(staging.length + 1)));
  } finally {
    endPhase();
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}

/**
 * The fleet page into `dir`: the overview, fleet.json, and the pages of tenants
 * (report/fleet-pages.ts); returns its files. `keep` says whether a page of these tenants may stay
 * as the last build wrote it (an incremental build's kept tenants, in an unchanged fleet): its
 * files are then neither made nor written.
 */
export function writeFleetReport(
  verdict: FleetVerdict,
  dir: string,
  provenance: Provenance,
  deployed: ReadonlyMap<string, DeployedReading> = new Map(),
  keep: (tenants: readonly string[]) => boolean = () => false,
): string[] {
  const fleet = fleetReport(verdict, provenance, deployed);
  const pages = fleetPages(fleet.tenants.length);
  const files: [string, () => string | readonly string[]][] = [
    [join(dir, 'fleet.json'), () => fleetJson(fleet)],
    ...LANGS.flatMap((lang): [string, () => string][] => [
      [join(dir, `index.${lang}.html`), () => fleetIndexHtml(fleet, lang)],
      [join(dir, `fleet.${lang}.md`), () => fleetIndexMarkdown(fleet, lang)],
    ]),
  ];
  const kept: string[] = [];
  for (const page of pages) {
    const names = fleetPageFiles(page.index);
    if (keep(pageTenants(fleet, page)) && names.every((name) => existsSync(join(dir, name)))) {
      kept.push(...names.map((name) => join(dir, name)));
      continue;
    }
    files.push([join(dir, fleetPageDataFile(page.index)), () => fleetPageJson(fleet, page)]);
    for (const lang of LANGS) {
      files.push([join(dir, fleetPageFile(page.index, lang, 'html')), () => fleetPageHtml(fleet, page, lang)]);
      files.push([join(dir, fleetPageFile(page.index, lang, 'md')), () => fleetPageMarkdown(fleet, page, lang)]);
    }
  }
  return [...writeFiles(files), ...kept];
}

/** One tenant's reports into `dir/<tenant>/`. `suppressions` may be the fleet's: the report keeps the tenant's own. */
export function writeTenantReport(
  t: TenantEvaluation,
  suppressions: { readonly suppressions: readonly Suppression[]; readonly unusedSuppressions: readonly Suppression[] },
  dir: string,
  provenance: Provenance,
  deployed?: DeployedReading,
): string[] {
  const report = tenantReport(t, suppressions, provenance, deployed);
  const tdir = join(dir, t.tenant);
  mkdirSync(tdir, { recursive: true });
  return writeFiles([
    [join(tdir, 'report.json'), () => `${JSON.stringify(report, null, 2)}\n`],
    ...LANGS.flatMap((lang): [string, () => string][] => [
      [join(tdir, `report.${lang}.html`), () => tenantHtml(report, lang)],
      [join(tdir, `report.${lang}.md`), () => tenantMarkdown(report, lang)],
    ]),
  ]);
}

/**
 * Each file's text is made only when it is written, so one text is alive at a time: a fleet page
 * of 10,000 tenants is tens of MB per file, and making all five first ran a 512 MB heap out. A
 * text given as parts is written part by part, never joined.
 */
function writeFiles(files: readonly [string, () => string | readonly string[]][]): string[] {
  for (const [file, text] of files) {
    const made = text();
    if (typeof made === 'string') writeFileSync(file, made);
    else writeParts(file, made);
  }
  return files.map(([file]) => file);
}

/** Parts written in order, a megabyte or so at a time. */
function writeParts(file: string, parts: readonly string[]): void {
  const fd = openSync(file, 'w');
  try {
    let batch = '';
    const flush = () => {
      writeAll(fd, Buffer.from(batch, 'utf8'));
      batch = '';
    };
    for (const part of parts) {
      batch += part;
      if (batch.length >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
}
