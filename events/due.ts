/**
 * CLD8.1.5: a terminated tenant's data must be gone within 45 days of its termination date.
 * Lists the terminated tenants whose window has ended (or ends within N days) and what
 * destroying each stack would remove, read from the synthesized stack when there is one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet, type ContractPaths } from '../contract/load';
import { daysBetween, windowEnd } from '../lib/calendar';
import { EventState } from './state';

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
  /**
   * The date from which the synthesized log archive expires every object (its whole-bucket
   * lifecycle rule), as evidence that the data goes before the window ends; undefined when the
   * stack was not synthesized or has no such rule.
   */
  readonly archiveErasedFrom?: string;
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
    const stack = readStack(stackDir);
    due.push({
      tenant: t.id,
      terminationDate: terminated,
      windowEnd: end,
      windowEnded: daysLeft <= 0,
      daysLeft,
      stackDir,
      resources: stack === undefined ? undefined : resourcesIn(stack),
      archiveErasedFrom: stack === undefined ? undefined : wholeBucketExpiry(stack),
    });
  }
  return due.sort((a, b) => a.windowEnd.localeCompare(b.windowEnd) || a.tenant.localeCompare(b.tenant));
}

export interface PurgedTenant {
  readonly tenant: string;
  readonly purgedAt: string;
  /** The kept stack to run `terraform destroy` in (undefined: none was synthesized before the purge). */
  readonly stackDir?: string;
  readonly resources?: readonly string[];
  /** Addresses and VLAN held back until the stack is destroyed. */
  readonly reserved: { readonly vpcCidr: string; readonly clientPool: string; readonly vlanId: number };
}

/**
 * Purged tenants whose allocations are still reserved: their stacks are to be destroyed. Once
 * destroyed, deleting state/tenants/<tenant>.json releases the addresses.
 */
export function listPurged(stateDir: string): PurgedTenant[] {
  const state = new EventState(stateDir, { create: false });
  return state.tombstones().map((t) => {
    const dir = state.destroyDir(t.tenant);
    const stack = readStack(dir);
    return {
      tenant: t.tenant,
      purgedAt: t.purgedAt,
      stackDir: stack === undefined ? undefined : dir,
      resources: stack === undefined ? undefined : resourcesIn(stack),
      reserved: t.allocation,
    };
  });
}

interface StackJson {
  readonly resource?: Record<string, Record<string, unknown>>;
}

function readStack(stackDir: string): StackJson | undefined {
  const file = join(stackDir, 'cdk.tf.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackJson;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} cannot be read: ${(e as Error).message}`, { cause: e });
  }
}

/** `type.name` of every resource in a synthesized stack, in a stable order. */
export function resourcesIn(stack: StackJson): string[] {
  return Object.entries(stack.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

interface LifecycleRule {
  readonly status?: string;
  readonly filter?: readonly { readonly prefix?: string }[];
  readonly expiration?: readonly { readonly date?: string }[];
}

/** Earliest date of an enabled lifecycle rule that expires every object (empty prefix). */
function wholeBucketExpiry(stack: StackJson): string | undefined {
  const configs = Object.values(stack.resource?.aws_s3_bucket_lifecycle_configuration ?? {}) as { rule?: LifecycleRule[] }[];
  const dates = configs
    .flatMap((c) => c.rule ?? [])
    .filter((r) => r.status === 'Enabled' && (r.filter ?? []).every((f) => (f.prefix ?? '') === ''))
    .flatMap((r) => (r.expiration ?? []).map((e) => e.date?.slice(0, 10)))
    .filter((d): d is string => d !== undefined)
    .sort();
  return dates[0];
}
