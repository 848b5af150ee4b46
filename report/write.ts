/**
 * Writes the reports:
 *   <dir>/index.{en,ja}.html, fleet.{en,ja}.md, fleet.json           the fleet page (controls x tenants)
 *   <dir>/<tenant>/report.{en,ja}.html, report.{en,ja}.md, report.json  one tenant, all 42 controls
 * The folder is rebuilt whole, so a tenant that left the fleet leaves no stale report behind.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetEvaluation } from '../policies/evaluate';
import { fleetReport, tenantReport } from './document';
import { fleetHtml, tenantHtml } from './html';
import { LANGS } from './i18n';
import { fleetMarkdown, tenantMarkdown } from './markdown';

export function writeReports(evaluation: FleetEvaluation, dir: string, generatedAt = new Date().toISOString()): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (file: string, text: string): void => {
    writeFileSync(file, text);
    written.push(file);
  };
  const fleet = fleetReport(evaluation, generatedAt);
  write(join(dir, 'fleet.json'), `${JSON.stringify(fleet, null, 2)}\n`);
  for (const lang of LANGS) {
    write(join(dir, `index.${lang}.html`), fleetHtml(fleet, lang));
    write(join(dir, `fleet.${lang}.md`), fleetMarkdown(fleet, lang));
  }
  for (const t of evaluation.tenants) {
    const report = tenantReport(t, evaluation, generatedAt);
    const tdir = join(dir, t.tenant);
    mkdirSync(tdir, { recursive: true });
    write(join(tdir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    for (const lang of LANGS) {
      write(join(tdir, `report.${lang}.html`), tenantHtml(report, lang));
      write(join(tdir, `report.${lang}.md`), tenantMarkdown(report, lang));
    }
  }
  return written;
}
