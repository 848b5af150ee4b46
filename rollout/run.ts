/**
 * Runs a rollout plan here (`ras rollout --run CMD`), as the workflow does in CI: wave after
 * wave, at most `parallel` tenants of a wave at a time, `CMD` once per tenant through `sh -c`
 * with the tenant in $RAS_TENANT (never spliced into the command text: contract data stays out
 * of the shell). The first failure stops the rollout: no further tenant of that wave is started
 * (those already running finish), and no later wave runs. Held (risk-flagged) tenants are never
 * run here: they wait for an approval.
 */
import { spawn } from 'node:child_process';
import type { RolloutPlan } from './waves';

export interface TenantRun {
  readonly tenant: string;
  readonly wave: number;
  readonly exitCode: number;
}

export interface RolloutResult {
  readonly applied: readonly TenantRun[];
  /** The first failing tenant's run, if any. */
  readonly failed?: TenantRun;
  /** Tenants of the plan's waves that were not run because of the failure. */
  readonly untouched: readonly string[];
}

function runOne(command: string, tenant: string, wave: number, log: (line: string) => void): Promise<TenantRun> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { env: { ...process.env, RAS_TENANT: tenant, RAS_WAVE: String(wave) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') log(`[wave ${wave} ${tenant}] ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', (e) => {
      log(`[wave ${wave} ${tenant}] ${e.message}`);
      resolve({ tenant, wave, exitCode: 127 });
    });
    child.on('close', (code) => resolve({ tenant, wave, exitCode: code ?? 1 }));
  });
}

export async function runRollout(plan: RolloutPlan, command: string, log: (line: string) => void = () => undefined): Promise<RolloutResult> {
  const done: TenantRun[] = [];
  let failed: TenantRun | undefined;
  const started = new Set<string>();
  for (const wave of plan.waves) {
    if (failed !== undefined) break;
    log(`wave ${wave.index}: ${wave.tenants.length} tenant(s), ${Math.min(plan.parallel, wave.tenants.length)} at a time`);
    const queue = [...wave.tenants];
    const worker = async (): Promise<void> => {
      while (failed === undefined && queue.length > 0) {
        const tenant = queue.shift()!;
        started.add(tenant);
        const run = await runOne(command, tenant, wave.index, log);
        done.push(run);
        if (run.exitCode !== 0 && failed === undefined) failed = run;
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.parallel, wave.tenants.length) }, worker));
  }
  const untouched = plan.waves.flatMap((w) => w.tenants).filter((t) => !started.has(t));
  return { applied: done.filter((r) => r.exitCode === 0), failed, untouched };
}
