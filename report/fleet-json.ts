/**
 * The fleet page as data. fleet.json is the overview's: every tenant's scope and verdict, each
 * control's counts, the pages; each page's `fleet-page-NNNN.json` holds its own tenants' control
 * statuses. The grid is in the pages, not in fleet.json, for the reason the HTML grid is: whole, it
 * was 19 MB at 10,000 tenants and written again for every changed contract; a page depends only on
 * its own tenants, so an incremental build keeps it (report/fleet-pages.ts).
 */
import type { ControlStatus } from '../policies/evaluate';
import type { FleetReport } from './document';
import { controlCounts, fleetPageDataFile, fleetPages, pageCounts, pageProvenance, pageTenants, type FleetPage } from './fleet-pages';

export const FLEET_FORMAT = 'ras-iso27017-fleet/1';
export const FLEET_PAGE_FORMAT = 'ras-iso27017-fleet-page/1';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function fleetJson(f: FleetReport): string {
  const counts = controlCounts(f);
  return json({
    format: FLEET_FORMAT,
    provenance: f.provenance,
    generatedAt: f.generatedAt,
    summary: pageCounts(f),
    tenants: f.tenants,
    controls: f.controls.map((c, k) => ({ ...c, ...counts[k] })),
    pages: fleetPages(f.tenants.length).map((p) => {
      const tenants = pageTenants(f, p);
      return { file: fleetPageDataFile(p.index), first: tenants[0], last: tenants[tenants.length - 1], tenants: tenants.length, ...pageCounts(f, p) };
    }),
    suppressions: f.suppressions,
    unusedSuppressions: f.unusedSuppressions,
  });
}

/** One page's data: its tenants, and each control's status of each of them (by tenant name). */
export function fleetPageJson(f: FleetReport, p: FleetPage): string {
  const tenants = pageTenants(f, p);
  const byTenant = (statuses: readonly (ControlStatus | undefined)[]): Record<string, ControlStatus> => {
    const out: Record<string, ControlStatus> = {};
    tenants.forEach((t, i) => {
      const s = statuses[p.start + i];
      if (s !== undefined) out[t] = s;
    });
    return out;
  };
  return json({
    format: FLEET_PAGE_FORMAT,
    page: p.index + 1,
    pages: p.count,
    provenance: pageProvenance(f, p),
    generatedAt: f.generatedAt,
    tenants: f.tenants.slice(p.start, p.end),
    controls: f.controls.map((c, k) => ({
      id: c.id,
      statuses: byTenant(f.grid[k]),
      ...(f.deployedGrid === undefined ? {} : { deployedStatuses: byTenant(f.deployedGrid[k]) }),
    })),
  });
}
