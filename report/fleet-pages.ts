/**
 * The fleet page in pages. The overview (index.{lang}.html, fleet.{lang}.md) counts each control's
 * statuses over the fleet and links one page per 100 tenants (fleetPageTenants) in name order; each
 * page holds the controls x tenants grid of its own tenants, with their contracts' provenance.
 *
 * Why pages: one grid of 10,000 tenant columns was ~47 MB per language, more than a browser or a
 * PDF printer carries, and one changed contract rewrote all of it. A page depends only on its own
 * tenants (and on how many pages there are), so an incremental build keeps the pages whose tenants
 * it kept (build/pipeline.ts).
 */
import type { ControlStatus } from '../policies/evaluate';
import type { FleetReport } from './document';
import type { Lang } from './i18n';
import { provenanceOf, type Provenance } from './provenance';
import type { Verdict } from './verdict';

export const FLEET_PAGE_TENANTS = 100;

/** Tenants a page: FLEET_PAGE_TENANTS, or RAS_FLEET_PAGE_TENANTS (a whole number from 1 to 10,000). */
export function fleetPageTenants(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.RAS_FLEET_PAGE_TENANTS;
  if (set === undefined || set === '') return FLEET_PAGE_TENANTS;
  if (!/^[1-9][0-9]{0,4}$/.test(set) || Number(set) > 10_000) throw new Error(`RAS_FLEET_PAGE_TENANTS must be a whole number from 1 to 10000 (got ${JSON.stringify(set)})`);
  return Number(set);
}

/** The five statuses, in the order the overview's columns show them. */
export const STATUSES: readonly ControlStatus[] = ['compliant', 'compliant_by_exception', 'non_compliant', 'not_applicable', 'procedural'];

export interface FleetPage {
  /** 0-based; shown 1-based. */
  readonly index: number;
  /** Pages of the fleet. */
  readonly count: number;
  /** The page's tenants: positions `start` to `end` (excluded) of the fleet report's tenants. */
  readonly start: number;
  readonly end: number;
}

/** The pages of a fleet of `tenants` (one, empty, for no tenant). */
export function fleetPages(tenants: number, size: number = fleetPageTenants()): FleetPage[] {
  const count = Math.max(1, Math.ceil(tenants / size));
  return Array.from({ length: count }, (_, index) => ({ index, count, start: index * size, end: Math.min(tenants, (index + 1) * size) }));
}

/** A page's file in the reports folder. Never a tenant's folder: tenant names have no dot. */
export function fleetPageFile(index: number, lang: Lang, ext: 'html' | 'md'): string {
  return `fleet-page-${String(index + 1).padStart(4, '0')}.${lang}.${ext}`;
}

/** A page's data (both languages' texts are in the catalog, as in report.json). */
export function fleetPageDataFile(index: number): string {
  return `fleet-page-${String(index + 1).padStart(4, '0')}.json`;
}

/** A name `fleetPageFile` or `fleetPageDataFile` makes. */
export const FLEET_PAGE_FILE = /^fleet-page-[0-9]{4,}\.(?:(?:en|ja)\.(?:html|md)|json)$/;

/** Every file of a page. */
export function fleetPageFiles(index: number): string[] {
  return [fleetPageDataFile(index), ...(['en', 'ja'] as const).flatMap((lang) => [fleetPageFile(index, lang, 'html'), fleetPageFile(index, lang, 'md')])];
}

/** The page's tenants' names, in order. */
export function pageTenants(f: FleetReport, page: FleetPage): string[] {
  return f.tenants.slice(page.start, page.end).map((t) => t.tenant);
}

/** What a page was made from: the fleet file and its own tenants' contracts. */
export function pageProvenance(f: FleetReport, page: FleetPage): Provenance {
  return provenanceOf(f.provenance, pageTenants(f, page));
}

export interface ControlCounts {
  /** In-scope tenants by status. Out-of-scope tenants are information only: not counted. */
  readonly inScope: Readonly<Record<ControlStatus, number>>;
  /** Tenants whose status on the deployed state differs, when any deployed state was read. */
  readonly deployedDiffers?: number;
}

/**
 * Each control's counts, in the report's control order: counted once per report, though its five
 * overview files each show them (420,000 cells a count at 10,000 tenants).
 */
export function controlCounts(f: FleetReport): readonly ControlCounts[] {
  let counts = counted.get(f);
  if (counts === undefined) counted.set(f, (counts = countControls(f)));
  return counts;
}

const counted = new WeakMap<FleetReport, readonly ControlCounts[]>();

function countControls(f: FleetReport): ControlCounts[] {
  return f.grid.map((statuses, k) => {
    const inScope: Record<ControlStatus, number> = { compliant: 0, compliant_by_exception: 0, non_compliant: 0, not_applicable: 0, procedural: 0 };
    f.tenants.forEach((t, i) => {
      if (t.inScope) inScope[statuses[i]]++;
    });
    const deployed = f.deployedGrid?.[k];
    if (deployed === undefined) return { inScope };
    return { inScope, deployedDiffers: deployed.filter((d, i) => d !== undefined && d !== statuses[i]).length };
  });
}

export interface PageCounts {
  readonly verdicts: Readonly<Record<Verdict, number>>;
  /** Differences found in the deployed state of the page's tenants, when any was read. */
  readonly drift?: number;
}

/** A page's tenants counted by verdict (all tenants of the fleet when `page` is left out). */
export function pageCounts(f: FleetReport, page?: FleetPage): PageCounts {
  const verdicts: Record<Verdict, number> = { passed: 0, failed: 0, information_only: 0 };
  let drift: number | undefined;
  for (const t of f.tenants.slice(page?.start ?? 0, page?.end ?? f.tenants.length)) {
    verdicts[t.verdict]++;
    if (t.deployed !== undefined) drift = (drift ?? 0) + t.deployed.differences;
  }
  return drift === undefined ? { verdicts } : { verdicts, drift };
}
