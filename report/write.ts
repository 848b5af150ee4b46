/**
 * Writes the reports:
 *   <dir>/index.{en,ja}.html, fleet.{en,ja}.md, fleet.json           the fleet page (controls x tenants)
 *   <dir>/<tenant>/report.{en,ja}.html, report.{en,ja}.md, report.json  one tenant, all 42 controls
 * The folder is rebuilt whole, so a tenant that left the fleet leaves no stale report behind.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetEvaluation, FleetVerdict, TenantEvaluation } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import { fleetReport, tenantReport } from './document';
import { fleetHtml, tenantHtml } from './html';
import { LANGS } from './i18n';
import { fleetMarkdown, tenantMarkdown } from './markdown';

/** The reports' timestamp: SOURCE_DATE_EPOCH (seconds) when set, for reproducible output; else now. */
export function reportTime(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date().toISOString();
  if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970 (got ${JSON.stringify(epoch)})`);
  return new Date(Number(epoch) * 1000).toISOString();
}

export function writeReports(evaluation: FleetEvaluation, dir: string, generatedAt = reportTime()): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const written = writeFleetReport(evaluation, dir, generatedAt);
  for (const t of evaluation.tenants) written.push(...writeTenantReport(t, evaluation, dir, generatedAt));
  return written;
}

/** The fleet page (controls x tenants) into `dir`. */
export function writeFleetReport(verdict: FleetVerdict, dir: string, generatedAt: string): string[] {
  const fleet = fleetReport(verdict, generatedAt);
  return writeAll([
    [join(dir, 'fleet.json'), `${JSON.stringify(fleet, null, 2)}\n`],
    ...LANGS.flatMap((lang): [string, string][] => [
      [join(dir, `index.${lang}.html`), fleetHtml(fleet, lang)],
      [join(dir, `fleet.${lang}.md`), fleetMarkdown(fleet, lang)],
    ]),
  ]);
}

/** One tenant's reports into `dir/<tenant>/`. `suppressions` may be the fleet's: the report keeps the tenant's own. */
export function writeTenantReport(
  t: TenantEvaluation,
  suppressions: { readonly suppressions: readonly Suppression[]; readonly unusedSuppressions: readonly Suppression[] },
  dir: string,
  generatedAt: string,
): string[] {
  const report = tenantReport(t, suppressions, generatedAt);
  const tdir = join(dir, t.tenant);
  mkdirSync(tdir, { recursive: true });
  return writeAll([
    [join(tdir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`],
    ...LANGS.flatMap((lang): [string, string][] => [
      [join(tdir, `report.${lang}.html`), tenantHtml(report, lang)],
      [join(tdir, `report.${lang}.md`), tenantMarkdown(report, lang)],
    ]),
  ]);
}

function writeAll(files: readonly [string, string][]): string[] {
  for (const [file, text] of files) writeFileSync(file, text);
  return files.map(([file]) => file);
}
