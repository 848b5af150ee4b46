/**
 * The fleet's Prometheus configuration: one scrape job over every gateway (file_sd, one file per
 * tenant so a tenant's change rewrites only its own file), the rule files, nothing else. Paths are
 * relative: Prometheus resolves them against the configuration file's folder, so the folder can
 * be copied whole to the operations host.
 */
import { stringify } from 'yaml';
import type { ScrapeTarget } from '../output/scrape-target';
import { GATEWAY_JOB } from './gateway-rules';

export const RULES_DIR = 'rules';
export const TARGETS_DIR = 'targets';
/** node_exporter's textfile figures refresh every 30 s: scraping faster gains nothing. */
export const SCRAPE_INTERVAL = '30s';

export function renderPrometheusConfig(): string {
  return stringify(
    {
      global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
      rule_files: [`${RULES_DIR}/*.yml`],
      scrape_configs: [
        {
          job_name: GATEWAY_JOB,
          file_sd_configs: [{ files: [`${TARGETS_DIR}/*.json`], refresh_interval: '1m' }],
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/** file_sd JSON of one gateway: the labels every alert names (tenant, size class, region). */
export function renderTargetFile(t: ScrapeTarget): string {
  const group = {
    targets: [t.target],
    labels: { tenant: t.tenant, size_class: t.sizeClass.name, region: t.region, instance_type: t.instanceType },
  };
  return `${JSON.stringify([group], null, 2)}\n`;
}
