/**
 * The evidence pack of one audit, as a folder or one .zip:
 *   reports/                    every report (HTML, Markdown, JSON; ja/en) and its PDF in both languages,
 *                               the fleet overview's and each fleet page's too
 *   results.json                every rule's result per tenant (findings, evidence, exceptions)
 *   catalog.json                the 42 controls and the rules bound to them
 *   suppressions.json           the declared exceptions with their reasons, and those unused
 *   contracts.sha256            the contracts judged, as `sha256sum -c` reads it
 *   provenance.json             code and contract commits, tool version, time (JST), kind of evidence
 *   deployed.json               (with deployed states read) per tenant: the state file's SHA-256, the
 *                               differences from the intent and the rules' results on the deployed state
 *   MANIFEST.sha256             the SHA-256 of every other file: `sha256sum -c MANIFEST.sha256`
 *                               in the pack shows that nothing was changed after generation
 * Nothing is half-written: the pack is assembled aside and moved into place whole.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { lockOutputs, replaceWhole, stagingDir } from '../lib/output-dirs';
import { zip } from '../lib/zip';
import { CONTROLS } from '../policies/catalog';
import type { FleetEvaluation } from '../policies/evaluate';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import type { DeployedReading } from './document';
import { verdictOf } from './verdict';
import { LANGS } from './i18n';
import { fleetPageFile, fleetPages } from './fleet-pages';
import { printPdfs } from './pdf';
import { sha256, type Provenance } from './provenance';
import { writeReports } from './write';

export const MANIFEST = 'MANIFEST.sha256';

/** Every file under `dir`, as '/'-separated paths relative to it, in byte order. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `sha256sum` lines: hash, two spaces (text mode), the path. */
function sha256Lines(entries: readonly { readonly file: string; readonly sha256: string }[]): string {
  return entries.map((e) => `${e.sha256}  ${e.file}\n`).join('');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes the pack's files into `dir` (which must not exist); returns them, the manifest last. */
async function assemble(evaluation: FleetEvaluation, provenance: Provenance, dir: string, deployed: ReadonlyMap<string, DeployedReading>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const reports = join(dir, 'reports');
  writeReports(evaluation, reports, provenance, deployed);
  await printPdfs([
    ...LANGS.map((lang) => ({ html: join(reports, `index.${lang}.html`), pdf: join(reports, `index.${lang}.pdf`) })),
    ...fleetPages(evaluation.tenants.length).flatMap((page) =>
      LANGS.map((lang) => ({ html: join(reports, fleetPageFile(page.index, lang, 'html')), pdf: join(reports, fleetPageFile(page.index, lang, 'html').replace(/\.html$/, '.pdf')) })),
    ),
    ...evaluation.tenants.flatMap((t) => LANGS.map((lang) => ({ html: join(reports, t.tenant, `report.${lang}.html`), pdf: join(reports, t.tenant, `report.${lang}.pdf`) }))),
  ]);
  const results = {
    provenance,
    tenants: evaluation.tenants.map((t) => ({
      tenant: t.tenant,
      contractStatus: t.status,
      scope: t.scope,
      verdict: verdictOf(t.scope.inScope, t.passed),
      controls: t.controls.map((c) => ({ id: c.control.id, status: c.status, rules: c.rules })),
      rules: t.rules,
    })),
  };
  const catalog = { controls: CONTROLS, rules: ISO27017_PACK.map(({ id, controls, severity, explanation }) => ({ id, controls, severity, explanation })) };
  writeFileSync(join(dir, 'results.json'), json(results));
  writeFileSync(join(dir, 'catalog.json'), json(catalog));
  writeFileSync(join(dir, 'suppressions.json'), json({ suppressions: evaluation.suppressions, unused: evaluation.unusedSuppressions }));
  writeFileSync(join(dir, 'contracts.sha256'), sha256Lines(provenance.contracts.files));
  writeFileSync(join(dir, 'provenance.json'), json(provenance));
  if (deployed.size > 0) {
    const readings = [...deployed].map(([tenant, d]) => ({
      tenant,
      source: d.source,
      sha256: sha256(readFileSync(d.source)),
      passed: d.evaluation.passed,
      differences: d.differences,
      controls: d.evaluation.controls.map((c) => ({ id: c.control.id, status: c.status })),
      rules: d.evaluation.rules,
    }));
    writeFileSync(join(dir, 'deployed.json'), json({ tenants: readings }));
  }
  const files = filesUnder(dir);
  writeFileSync(join(dir, MANIFEST), sha256Lines(files.map((file) => ({ file, sha256: sha256(readFileSync(join(dir, file))) }))));
  return [...files, MANIFEST];
}

/**
 * Writes the pack to `out`: a .zip file when the name ends in .zip, else a folder (replaced
 * whole). Returns the files in the pack.
 */
export async function writeEvidencePack(
  evaluation: FleetEvaluation,
  provenance: Provenance,
  out: string,
  deployed: ReadonlyMap<string, DeployedReading> = new Map(),
): Promise<string[]> {
  const asZip = out.toLowerCase().endsWith('.zip');
  const unlock = lockOutputs([out]);
  const staging = stagingDir(out);
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(staging), { recursive: true });
    const files = await assemble(evaluation, provenance, staging, deployed);
    if (asZip) {
      const archive = zip(
        files.map((name) => ({ name, data: readFileSync(join(staging, name)) })),
        new Date(Date.parse(provenance.generatedAt)),
      );
      const part = `${out}.part-${process.pid}`;
      writeFileSync(part, archive);
      renameSync(part, out);
    } else {
      replaceWhole(staging, out);
    }
    return files;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}
