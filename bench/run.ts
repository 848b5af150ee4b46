/**
 * `npm run bench`: wall time and peak memory of the product's jobs on synthetic fleets, next to
 * a straightforward cdktf layout (barrel import of the AWS provider, `ts-node main.ts`, one
 * process, cdktf defaults) synthesizing the same tenants. Prints a Markdown table and writes it
 * to bench/results.md, which the README quotes.
 *
 * Usage: node dist/bench/run.js [--sizes 1,100,1000] [--baseline-sizes 1,100] [--out bench/results.md]
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFleet } from './generate';
import { measure, type Measurement } from './measure';

const REPO = join(__dirname, '..', '..');
const RAS = join(REPO, 'dist', 'cli', 'ras.js');

interface Row {
  readonly scenario: string;
  readonly tenants: number;
  readonly ours: Measurement;
  readonly baseline?: Measurement;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

function sizes(name: string, fallback: string): number[] {
  return option(name, fallback)
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
}

async function ras(args: string[], cwd = REPO): Promise<Measurement> {
  const m = await measure('node', [RAS, ...args], { cwd, env: { CHECKPOINT_DISABLE: '1' } });
  if (m.exitCode !== 0) throw new Error(`ras ${args.join(' ')} failed (${m.exitCode}):\n${m.stderr}`);
  return m;
}

/** The full job, `ras build`: synthesize (Terraform, gateway variables, portal settings), write the reports, check. */
async function fullJob(dir: string): Promise<Measurement> {
  const m = await measure('node', [RAS, 'build', '--fleet', join(dir, 'fleet.yaml'), '--tenants', join(dir, 'tenants'), '--outdir', join(dir, 'cdktf.out'), '--reports', join(dir, 'reports')], {
    cwd: REPO,
    env: { CHECKPOINT_DISABLE: '1' },
  });
  // Exit 1 means findings (a check result), not a failed run.
  if (m.exitCode !== 0 && m.exitCode !== 1) throw new Error(`ras build failed (${m.exitCode}):\n${m.stderr}`);
  return m;
}

/**
 * The baseline: the same contracts and constructs, laid out as a team following cdktf's getting-
 * started guide would: the provider's barrel import, `ts-node main.ts` (type-checking), one app in
 * one process, cdktf's default token traces and cross-stack pass.
 */
function prepareBaseline(work: string): string {
  const dir = join(work, 'baseline');
  mkdirSync(dir);
  for (const folder of ['commitments', 'contract', 'constructs', 'gateway-config', 'stacks']) cpSync(join(REPO, folder), join(dir, folder), { recursive: true });
  const stack = join(dir, 'stacks', 'tenant-stack.ts');
  writeFileSync(stack, readFileSync(stack, 'utf8').replace(/\n {2}\/\*\*[^/]*?\*\/\n {2}public prepareStack\(\): void \{\n {4}this\.ensureBackendExists\(\);\n {2}\}\n/, '\n'));
  writeFileSync(
    join(dir, 'main.ts'),
    [
      "import * as aws from '@cdktf/provider-aws';",
      "import { App } from 'cdktf';",
      "import { loadFleet } from './contract/load';",
      "import { TenantStack } from './stacks/tenant-stack';",
      '',
      'void aws;',
      "const fleet = loadFleet({ fleetFile: process.env.RAS_FLEET_FILE!, tenantsDir: process.env.RAS_TENANTS_DIR! });",
      'const app = new App({ outdir: process.env.CDKTF_OUTDIR });',
      'for (const tenant of fleet.tenants) new TenantStack(app, { tenant, fleet: fleet.settings });',
      'app.synth();',
      '',
    ].join('\n'),
  );
  const tsconfig = JSON.parse(readFileSync(join(REPO, 'tsconfig.json'), 'utf8'));
  tsconfig.compilerOptions.incremental = false;
  delete tsconfig.compilerOptions.tsBuildInfoFile;
  tsconfig.include = ['main.ts', 'commitments/**/*.ts', 'contract/**/*.ts', 'contract/**/*.json', 'constructs/**/*.ts', 'gateway-config/**/*.ts', 'stacks/**/*.ts'];
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return dir;
}

async function baseline(baselineDir: string, fleetDir: string): Promise<Measurement> {
  const m = await measure(join(REPO, 'node_modules', '.bin', 'ts-node'), ['main.ts'], {
    cwd: baselineDir,
    env: {
      RAS_FLEET_FILE: join(fleetDir, 'fleet.yaml'),
      RAS_TENANTS_DIR: join(fleetDir, 'tenants'),
      CDKTF_OUTDIR: join(fleetDir, 'baseline.out'),
      TS_NODE_PROJECT: join(baselineDir, 'tsconfig.json'),
      RAS_CACHE_DIR: join(fleetDir, '.baseline-cache'),
    },
  });
  if (m.exitCode !== 0) throw new Error(`baseline failed (${m.exitCode}):\n${m.stderr}`);
  return m;
}

const fmtS = (m: Measurement | undefined) => (m === undefined ? '—' : `${(m.wallMs / 1000).toFixed(2)} s`);
const fmtMb = (m: Measurement | undefined) => (m === undefined ? '—' : `${Math.round(m.peakMb)} MB`);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ras-bench-'));
  const rows: Row[] = [];
  const baselineSizes = new Set(sizes('baseline-sizes', '1,100'));
  const baselineDir = prepareBaseline(work);
  // ts-node resolves modules from the baseline folder upwards: link the product's node_modules there.
  symlinkSync(join(REPO, 'node_modules'), join(baselineDir, 'node_modules'));
  try {
    const fleets = new Map<number, string>();
    for (const n of sizes('sizes', '1,100,1000')) {
      const dir = join(work, `fleet-${n}`);
      writeSyntheticFleet(dir, n, join(REPO, 'fleet.yaml'));
      fleets.set(n, dir);
      process.stderr.write(`bench: full job, ${n} tenant(s)\n`);
      const ours = await fullJob(dir);
      const base = baselineSizes.has(n) ? await baseline(baselineDir, dir) : undefined;
      rows.push({ scenario: 'full job: `ras build` (synth + gateway vars + reports + check)', tenants: n, ours, baseline: base });
    }
    const largest = Math.max(...fleets.keys());
    const big = fleets.get(largest)!;
    // As after a contract event: one tenant's file changes, only that tenant is synthesized.
    const first = join(big, 'tenants', 'tenant-00000.yaml');
    writeFileSync(first, readFileSync(first, 'utf8').replace(/terminals: (\d+)/, (_, t) => `terminals: ${Number(t) + 1}`));
    process.stderr.write(`bench: one tenant inside ${largest}\n`);
    rows.push({
      scenario: `one tenant's synth inside a ${largest}-tenant fleet`,
      tenants: 1,
      ours: await ras(['synth', '--fleet', join(big, 'fleet.yaml'), '--tenants', join(big, 'tenants'), '--outdir', join(big, 'cdktf.out'), '--tenant', 'tenant-00000']),
    });
    const one = fleets.get(1) ?? join(work, 'fleet-1');
    if (!fleets.has(1)) writeSyntheticFleet(one, 1, join(REPO, 'fleet.yaml'));
    process.stderr.write('bench: cdktf synth, one tenant\n');
    const cdktf = await measure(join(REPO, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', join(one, 'cdktf-cli.out')], {
      cwd: REPO,
      env: { CHECKPOINT_DISABLE: '1', RAS_FLEET_FILE: join(one, 'fleet.yaml'), RAS_TENANTS_DIR: join(one, 'tenants'), CI: '1' },
    });
    if (cdktf.exitCode !== 0) throw new Error(`cdktf synth failed:\n${cdktf.stderr}`);
    rows.push({ scenario: '`cdktf synth` as an engineer runs it (incremental build + synth)', tenants: 1, ours: cdktf });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = render(rows);
  process.stdout.write(table);
  writeFileSync(option('out', join(REPO, 'bench', 'results.md')), table);
}

function render(rows: readonly Row[]): string {
  const full = rows.filter((r) => r.scenario.startsWith('full job'));
  const perTenant = (n: number) => {
    const one = full.find((r) => r.tenants === 1);
    const row = full.find((r) => r.tenants === n);
    return one === undefined || row === undefined || n === 1 ? undefined : (row.ours.wallMs - one.ours.wallMs) / (n - 1);
  };
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, by \`npm run bench\`.`,
    '',
    '| scenario | tenants | this product | peak memory | baseline | baseline peak | speed-up |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) =>
      [
        '',
        r.scenario,
        r.tenants,
        fmtS(r.ours),
        fmtMb(r.ours),
        fmtS(r.baseline),
        fmtMb(r.baseline),
        r.baseline === undefined ? '—' : `${(r.baseline.wallMs / r.ours.wallMs).toFixed(1)}×`,
        '',
      ].join(' | ').trim(),
    ),
    '',
  ];
  const p100 = perTenant(100);
  const p1000 = perTenant(1000);
  if (p100 !== undefined && p1000 !== undefined) {
    lines.push(
      `Cost per additional tenant (full job, (T(N) − T(1)) / (N − 1)): ${p100.toFixed(1)} ms at 100, ${p1000.toFixed(1)} ms at 1,000 (ratio ${(p1000 / p100).toFixed(2)}).`,
      '',
    );
  }
  lines.push(
    'The baseline synthesizes only (no reports, no check): the ratio understates the difference.',
    '',
  );
  return lines.join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
