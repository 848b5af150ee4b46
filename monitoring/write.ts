/**
 * Writes the fleet's Prometheus configuration beside the stacks (`<outdir>/monitoring/`), from the
 * synthesized output as read back by output/ (so the targets are what will be deployed):
 *
 *   monitoring/prometheus.yml                       scrape job over targets/*.json, rules/*.yml
 *   monitoring/targets/<tenant>.json                file_sd: the gateway's node_exporter, labels
 *   monitoring/rules/ras-gateways.yml               gateway alerts, size-class capacities
 *   monitoring/rules/ras-device-certificates.yml    device certificates and CRLs (devices/)
 *
 * The folder is written aside and swapped in whole (lib/output-dirs.ts); a gateway that cannot be
 * scraped as rendered fails the write and leaves the previous folder as it was. An incremental
 * `ras build` (`kept`) instead replaces only the changed tenants' files, one rename each.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceWhole, stagingDir } from '../lib/output-dirs';
import { productRolesDir } from '../lib/product-roles';
import { roleDefaults } from '../output/gateway-variables';
import { readOutputFolder, readStack, stackIds, type StackOutput } from '../output/read';
import { scrapeTarget, type ScrapeTarget, type ScrapeTargetResult } from '../output/scrape-target';
import { deviceCertificateRules } from './device-rules';
import { gatewayRules } from './gateway-rules';
import { renderPrometheusConfig, renderTargetFile, RULES_DIR, TARGETS_DIR } from './prometheus-config';
import { renderRuleFile } from './rule-file';

export const MONITORING_DIR = 'monitoring';

/** A gateway the synthesized output renders in a way Prometheus cannot scrape. */
export class MonitoringOutputError extends Error {}

export interface MonitoringOptions {
  /** Ansible roles whose defaults underlie the rendered variables, above the product's own roles' defaults. @default - the product's only */
  readonly rolesDir?: string;
  /**
   * Every stack's target, already read (`ras build` reads each stack back on its thread anyway:
   * monitoringTarget there saves reading every gateway's variables twice). @default - read here
   */
  readonly results?: readonly ScrapeTargetResult[];
  /**
   * Only these tenants' stacks changed (`ras synth --tenant`, a contract event): their targets are
   * read again, the others' kept from the previous folder, so one tenant's synth in a large fleet
   * does not read every stack. @default - every stack is read
   */
  readonly only?: readonly string[];
  /**
   * With `results`: these tenants' target files in the existing folder are as `results` would
   * render them (`ras build` kept their output, built by the same code from the same targets).
   * The other tenants' files are written or removed in place, each replaced whole, and the
   * folder is not copied: a 10,000-tenant fleet's folder is 10,000 files. @default - every file written
   */
  readonly kept?: ReadonlySet<string>;
}

/**
 * A stack's scrape target, with the product's role defaults (node_exporter's port is the
 * monitoring role's default) under whatever defaults the stack was read with.
 */
export function monitoringTarget(): (stack: StackOutput) => ScrapeTargetResult {
  const product = roleDefaults(productRolesDir());
  return (stack) => scrapeTarget(stack.gatewayLayers === undefined ? stack : { ...stack, gatewayLayers: [...product, ...stack.gatewayLayers] });
}

export interface MonitoringResult {
  readonly dir: string;
  /** The targets written (with `only`: those of the changed tenants). */
  readonly targets: readonly ScrapeTarget[];
  /** Tenants with no gateway to scrape, with why (terminated, Type B). */
  readonly unmonitored: readonly { readonly tenant: string; readonly reason: string }[];
}

/** Writes `<outdir>/monitoring/` from the stacks under `<outdir>/stacks/`. */
export function writeFleetMonitoring(outdir: string, options: MonitoringOptions = {}): MonitoringResult {
  const dir = join(outdir, MONITORING_DIR);
  const incremental = options.only !== undefined && options.results === undefined && existsSync(join(dir, TARGETS_DIR));
  const results = incremental ? changedTargets(outdir, options.only!, options.rolesDir) : (options.results ?? readOutputFolder(outdir, { rolesDir: options.rolesDir }).map(monitoringTarget()));
  const problems = results.flatMap((r) => (r.kind === 'problem' ? [r.message] : []));
  if (problems.length > 0) throw new MonitoringOutputError(`cannot write the fleet's Prometheus targets:\n${problems.join('\n')}`);
  const targets = results.flatMap((r) => (r.kind === 'target' ? [r.target] : []));
  const unmonitored = results.flatMap((r) => (r.kind === 'none' ? [{ tenant: r.tenant, reason: r.reason }] : []));
  if (options.kept !== undefined && options.results !== undefined && existsSync(join(dir, TARGETS_DIR))) {
    updateInPlace(dir, results, options.kept);
    return { dir, targets, unmonitored };
  }

  const staging = stagingDir(dir);
  rmSync(staging, { recursive: true, force: true });
  try {
    // Incremental: the other tenants' target files as they were; the changed ones replaced or removed.
    if (incremental) cpSync(join(dir, TARGETS_DIR), join(staging, TARGETS_DIR), { recursive: true });
    mkdirSync(join(staging, TARGETS_DIR), { recursive: true });
    mkdirSync(join(staging, RULES_DIR), { recursive: true });
    for (const [file, text] of fleetFiles()) writeFileSync(join(staging, file), text);
    for (const r of results) rmSync(join(staging, TARGETS_DIR, `${tenantOf(r)}.json`), { force: true });
    for (const t of targets) writeFileSync(join(staging, TARGETS_DIR, `${t.tenant}.json`), renderTargetFile(t));
    replaceWhole(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, targets, unmonitored };
}

/** The files that do not depend on the tenants: the scrape job and the alert rules. */
function fleetFiles(): [string, string][] {
  return [
    ['prometheus.yml', renderPrometheusConfig()],
    [join(RULES_DIR, 'ras-gateways.yml'), renderRuleFile(gatewayRules())],
    [join(RULES_DIR, 'ras-device-certificates.yml'), renderRuleFile([deviceCertificateRules()])],
  ];
}

/**
 * The kept tenants' files stay; every other file is replaced by rename (never half-written), and
 * a target file of no tenant of `results` (one that left, or has no gateway now) is removed. An
 * interrupted update leaves whole files only, and `ras build` has dropped its record of the
 * output by then, so its next run rebuilds every tenant.
 */
function updateInPlace(dir: string, results: readonly ScrapeTargetResult[], kept: ReadonlySet<string>): void {
  const put = (file: string, text: string) => {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  };
  mkdirSync(join(dir, RULES_DIR), { recursive: true });
  for (const [file, text] of fleetFiles()) put(join(dir, file), text);
  const targetFiles = new Set(results.flatMap((r) => (r.kind === 'target' ? [`${r.target.tenant}.json`] : [])));
  for (const name of readdirSync(join(dir, TARGETS_DIR))) if (!targetFiles.has(name)) rmSync(join(dir, TARGETS_DIR, name), { force: true });
  for (const r of results) if (r.kind === 'target' && !kept.has(r.target.tenant)) put(join(dir, TARGETS_DIR, `${r.target.tenant}.json`), renderTargetFile(r.target));
}

/** The changed tenants' targets; a tenant whose stack is gone has none (its file is removed). */
function changedTargets(outdir: string, only: readonly string[], rolesDir: string | undefined): ScrapeTargetResult[] {
  const present = new Set(stackIds(outdir)?.ids ?? []);
  const target = monitoringTarget();
  return [...only].sort().map((id) =>
    present.has(id) ? target(readStack(join(outdir, 'stacks', id), { rolesDir })) : { kind: 'none' as const, tenant: id, reason: 'no stack' },
  );
}

function tenantOf(r: ScrapeTargetResult): string {
  return r.kind === 'target' ? r.target.tenant : r.tenant;
}
