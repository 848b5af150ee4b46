/**
 * `npm run bench:gateway`: the converged gateway at each size class's declared terminal count
 * (lib/sizing.ts DESIGN_TERMINALS), one run per count, each under the shared end-to-end lock
 * (/tmp/ras-e2e.lock: it uses the e2e root filesystem and network namespaces), stopping at the
 * first count this machine cannot hold. Writes bench/gateway-capacity.json, which lib/sizing.ts
 * reads, and prints the rows. Root only (namespaces, chroot).
 *
 * Usage: npm run bench:gateway -- [--terminals 20,250,1000,3000] [--max 3000] [--rekey <s, default max(60, N/20)>] [--stall 40] [--out bench/gateway-capacity.json]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DESIGN_TERMINALS } from '../../lib/sizing-design';
import { machine, measureCapacity, type CapacityResult } from './lib/capacity';
import { REPO } from './lib/converge';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const LOCK = '/tmp/ras-e2e.lock';
const RESULT = 'CAPACITY-RESULT ';

async function one(terminals: number): Promise<void> {
  const work = mkdtempSync('/var/tmp/ras-capacity-');
  try {
    const r = await measureCapacity({
      terminals,
      max: Number(option('max', '3000')),
      work,
      prefix: `cap${process.pid % 100000}-`,
      // The storm comes after the connect phase: rekey_time well beyond the time all take to connect.
      rekeyS: Number(option('rekey', String(Math.max(60, Math.ceil(terminals / 20))))),
      stallS: Number(option('stall', '40')),
      log: (l) => console.error(`[${terminals}] ${l}`),
    });
    console.log(RESULT + JSON.stringify(r));
  } finally {
    // Each count's logs (the initiator's, the gateway's daemons and streams) outlive the work
    // folder, so a count that did not hold can be diagnosed afterwards; keys stay behind.
    const logs = join(work, 'logs');
    const kept = join(REPO, 'test-results', 'capacity-logs', String(terminals));
    rmSync(kept, { recursive: true, force: true });
    if (existsSync(logs)) cpSync(logs, kept, { recursive: true, filter: (src) => !/\.(key|vici)$|swanctl\.conf$/.test(src) });
    rmSync(work, { recursive: true, force: true });
  }
}

function series(): void {
  const counts = option('terminals', ['20', ...Object.values(DESIGN_TERMINALS).map(String)].join(','))
    .split(',')
    .map(Number)
    .filter((n) => {
      // The gateway image is converged for --max identities; a larger count needs a larger image.
      if (n > Number(option('max', '3000'))) console.log(`not measured: ${n} terminals (above --max)`);
      return n <= Number(option('max', '3000'));
    });
  const out = resolve(REPO, option('out', 'bench/gateway-capacity.json'));
  const runs: CapacityResult[] = [];
  for (const n of counts) {
    // The same script through ts-node, in a process of its own that holds the lock.
    const argv = [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-P', join(REPO, 'tsconfig.test.json'), __filename, '--one', String(n), ...process.argv.slice(2)];
    const r = spawnSync('flock', [LOCK, process.execPath, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT));
    if (r.status !== 0 || line === undefined) throw new Error(`the run at ${n} terminals failed (exit ${r.status}):\n${r.stdout.slice(-4000)}`);
    const result = JSON.parse(line.slice(RESULT.length)) as CapacityResult;
    console.log(JSON.stringify(result));
    runs.push(result);
    if (result.established < n) break;
  }
  const previous = (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { runs: [] }) as { runs: CapacityResult[] };
  // Counts not rerun this time keep their earlier figures.
  const merged = [...previous.runs.filter((p) => !runs.some((r) => r.terminals === p.terminals)), ...runs].sort((a, b) => a.terminals - b.terminals);
  const data = {
    measuredAt: new Date().toISOString(),
    machine: machine(),
    command: 'npm run bench:gateway',
    runs: merged,
  };
  writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`wrote ${out}\n\n${table(merged)}`);
}

/** The rows as README shows them. */
function table(runs: readonly CapacityResult[]): string {
  const rows = runs.map((r) =>
    [
      r.terminals,
      `${r.established}${r.limitedBy ? ' (stalled)' : ''}`,
      Object.entries(r.authRefusals).map(([reason, n]) => `${n} ${reason}`).join(', ') || '0',
      r.establishS,
      r.tunnelsPerS,
      r.rssPerIkeSaKiB,
      `${r.gatewayCpuS} (${r.gatewayCpuMsPerTunnel} ms/tunnel)`,
      r.gatewayLogCpuS,
      `${r.childSasInstalled} / ${r.xfrmStates}`,
      r.rekey ? `${r.rekey.rekeyed} in ${r.rekey.windowS} s, ${r.rekey.gatewayCpuS} s CPU, ${r.rekey.establishedAfter} IKE_SAs after` : '-',
      r.loadAverage1m,
    ].join(' | '),
  );
  return [
    '| Terminals | Established | Refused, retried | Time to all (s) | Tunnels/s | Gateway RSS per IKE_SA (KiB) | Gateway charon CPU (s) | rsyslog CPU (s) | CHILD_SAs libipsec / kernel xfrm | CHILD_SA rekey storm | Load (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

const oneAt = process.argv.indexOf('--one');
if (oneAt !== -1) {
  one(Number(process.argv[oneAt + 1])).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  series();
}
