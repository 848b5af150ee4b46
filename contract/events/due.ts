/**
 * CLD8.1.5: a terminated tenant's data must be gone within 45 days of its termination date.
 * Lists the terminated tenants whose window has ended (or ends within N days) and what
 * destroying each stack would remove, read from the synthesized stack when there is one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet, type ContractPaths } from '../load';
import { daysBetween, windowEnd } from './calendar';

export interface DueTenant {
  readonly tenant: string;
  readonly terminationDate: string;
  /** termination + 45 days. */
  readonly windowEnd: string;
  readonly windowEnded: boolean;
  /** Days from the given date to the window's end (0 or negative once ended). */
  readonly daysLeft: number;
  readonly stackDir: string;
  /** Terraform addresses in the synthesized stack; undefined when it was not synthesized. */
  readonly resources?: readonly string[];
}

export interface DueOptions {
  /** The day to judge from (YYYY-MM-DD, Japan). */
  readonly date: string;
  /** Also list windows ending within this many days. @default 0 */
  readonly withinDays?: number;
  /** @default 'cdktf.out' */
  readonly outdir?: string;
}

export function listDue(paths: ContractPaths, opts: DueOptions): DueTenant[] {
  const fleet = loadFleet(paths);
  const due: DueTenant[] = [];
  for (const t of fleet.tenants) {
    const terminated = t.contract.terminationDate;
    if (t.contract.status !== 'terminated' || terminated === undefined) continue;
    const end = windowEnd(terminated);
    const daysLeft = daysBetween(opts.date, end);
    if (daysLeft > (opts.withinDays ?? 0)) continue;
    const stackDir = join(opts.outdir ?? 'cdktf.out', 'stacks', t.id);
    due.push({ tenant: t.id, terminationDate: terminated, windowEnd: end, windowEnded: daysLeft <= 0, daysLeft, stackDir, resources: resourcesIn(stackDir) });
  }
  return due.sort((a, b) => a.windowEnd.localeCompare(b.windowEnd) || a.tenant.localeCompare(b.tenant));
}

/** `type.name` of every resource in a synthesized stack (cdk.tf.json), in a stable order. */
export function resourcesIn(stackDir: string): string[] | undefined {
  let doc: { resource?: Record<string, Record<string, unknown>> };
  try {
    doc = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as typeof doc;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${join(stackDir, 'cdk.tf.json')} cannot be read: ${(e as Error).message}`);
  }
  return Object.entries(doc.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}
