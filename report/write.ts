/**
 * Writes the reports:
 *   <dir>/index.{en,ja}.html, fleet.{en,ja}.md, fleet.json           the fleet page (controls x tenants)
 *   <dir>/<tenant>/report.{en,ja}.html, report.{en,ja}.md, report.json  one tenant, all 42 controls
 * The folder is rebuilt whole, so a tenant that left the fleet leaves no stale report behind:
 * written aside and swapped in (lib/output-dirs.ts), so an interrupted run leaves the previous
 * reports as they were.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeAll } from '../lib/fd';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { advance, endPhase, startPhase } from '../lib/progress';
import type { FleetEvaluation, FleetVerdict, TenantEvaluation } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import { type DeployedReading, fleetReport, tenantReport } from './document';
import { tenantProvenance, type Provenance } from './provenance';
import { fleetHtml, tenantHtml } from './html';
import { LANGS } from './i18n';
import { fleetMarkdown, tenantMarkdown } from './markdown';

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

/** The fleet page (controls x tenants) into `dir`. */
export function writeFleetReport(verdict: FleetVerdict, dir: string, provenance: Provenance, deployed: ReadonlyMap<string, DeployedReading> = new Map()): string[] {
  const fleet = fleetReport(verdict, provenance, deployed);
  return writeFiles([
    [join(dir, 'fleet.json'), () => `${JSON.stringify(fleet, null, 2)}\n`],
    ...LANGS.flatMap((lang): [string, () => string | readonly string[]][] => [
      [join(dir, `index.${lang}.html`), () => fleetHtml(fleet, lang)],
      [join(dir, `fleet.${lang}.md`), () => fleetMarkdown(fleet, lang)],
    ]),
  ]);
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
