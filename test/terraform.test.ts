/**
 * Every example tenant's stack passes real `terraform init`, `validate` and an offline `plan`.
 * Where the terraform binary or its provider mirror is missing (no registry reachable here can
 * install them), the run prints a loud SKIPPED line instead of passing quietly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { synthTenants } from '../stacks/synth';
import { EXAMPLES } from './helpers/synth';
import { findTerraform, prepareOffline, terraform, type TerraformToolchain } from './helpers/terraform';

const found = findTerraform();
const tf: TerraformToolchain | undefined = 'missing' in found ? undefined : found;
if (tf === undefined) {
  const line = `SKIPPED: ${(found as { missing: string }).missing}; the terraform init/validate/plan checks did not run`;
  process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
}
const describeIfTerraform = tf === undefined ? describe.skip : describe;

const outdir = mkdtempSync(join(tmpdir(), 'ras-tf-synth-'));
const synthesized = synthTenants({ paths: EXAMPLES, outdir: join(outdir, 'cdktf.out') });
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describeIfTerraform.each(synthesized.stacks.map((s) => [s.id, s.dir]))('terraform on %s', (id, dir) => {
  let work: string;
  let plan: any;
  const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
  const tenant = synthesized.fleet.tenants.find((t) => t.id === id)!;

  beforeAll(() => {
    work = prepareOffline(join(dir, 'cdk.tf.json'), tf!);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('init and validate', async () => {
    const init = await terraform(tf!, work, ['init', '-input=false', '-no-color']);
    expect(init.stderr).toBe('');
    expect(init.exitCode).toBe(0);
    const validate = await terraform(tf!, work, ['validate', '-json', '-no-color']);
    const result = JSON.parse(validate.stdout);
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('plans offline: creates exactly the synthesized resources', async () => {
    const p = await terraform(tf!, work, ['plan', '-input=false', '-no-color', '-out=plan.bin']);
    expect(p.stderr).toBe('');
    expect(p.exitCode).toBe(0);
    plan = JSON.parse((await terraform(tf!, work, ['show', '-json', 'plan.bin'])).stdout);
    const planned = plan.resource_changes.map((c: any) => c.address).sort();
    const declared = Object.entries(config.resource as Record<string, Record<string, unknown>>)
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
      .sort();
    expect(planned).toEqual(declared);
    for (const c of plan.resource_changes) expect(c.change.actions).toEqual(['create']);
  });

  test('the provider applies the service-code tags to every taggable resource', () => {
    const taggable = plan.resource_changes.filter((c: any) => c.change.after && 'tags_all' in c.change.after);
    expect(taggable.length).toBeGreaterThanOrEqual(2);
    for (const c of taggable) {
      // tags_all merges default_tags at plan time; it is known unless a resource's own tags are unknown.
      const tags = c.change.after.tags_all ?? {};
      expect({ address: c.address, code: tags['ras:service-code:gateway'] }).toEqual({ address: c.address, code: tenant.contract.serviceCodes.gateway });
    }
  });

  if (id === 'minato-design') {
    test('the planned lifecycle erases every object before termination + 45 days', () => {
      const lifecycle = plan.planned_values.root_module.resources.find((r: any) => r.type === 'aws_s3_bucket_lifecycle_configuration');
      const erase = lifecycle.values.rule.find((r: any) => r.id === 'erase-after-termination');
      expect(erase.filter[0].prefix).toBe('');
      expect(erase.expiration[0].date).toBe('2026-12-25T00:00:00Z');
      expect(erase.noncurrent_version_expiration[0].noncurrent_days).toBe(1);
    });
  }
});

describe('the terraform prerequisites are reported', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ras-tf-detect-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A mirror folder holding hashicorp/aws at these versions (and a stray non-version entry). */
  function mirrorWith(name: string, versions: string[]): string {
    const dir = join(scratch, name);
    for (const v of [...versions, 'not-a-version']) mkdirSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws', v), { recursive: true });
    return dir;
  }

  test('a TERRAFORM_BIN that does not exist, or no terraform on PATH, is a missing binary', () => {
    expect(findTerraform({ TERRAFORM_BIN: join(scratch, 'no-such-terraform'), RAS_TF_MIRROR: mirrorWith('m1', ['5.100.0']) })).toEqual({
      missing: `terraform not found at TERRAFORM_BIN=${join(scratch, 'no-such-terraform')}`,
    });
    expect(findTerraform({ PATH: [scratch, join(scratch, 'nowhere')].join(delimiter), RAS_TF_MIRROR: mirrorWith('m2', ['5.100.0']) })).toEqual({
      missing: 'terraform not found (set TERRAFORM_BIN or put terraform on PATH)',
    });
  });

  test('a mirror without a hashicorp/aws version is a missing mirror', () => {
    const binary = join(scratch, 'terraform');
    writeFileSync(binary, '');
    const empty = mirrorWith('empty', []);
    for (const mirror of [join(scratch, 'no-such-mirror'), empty]) {
      expect(findTerraform({ TERRAFORM_BIN: binary, RAS_TF_MIRROR: mirror })).toEqual({
        missing: `terraform provider mirror not found (no hashicorp/aws under ${mirror}; set RAS_TF_MIRROR)`,
      });
    }
  });

  test('found on PATH, with the newest mirrored provider (versions compared as numbers)', () => {
    writeFileSync(join(scratch, 'terraform'), '');
    const mirror = mirrorWith('several', ['5.9.0', '5.100.0', '5.10.1']);
    const detected = findTerraform({ PATH: [join(scratch, 'nowhere'), scratch].join(delimiter), RAS_TF_MIRROR: mirror });
    expect(detected).toEqual(expect.objectContaining({ binary: join(scratch, 'terraform'), mirror, awsVersion: '5.100.0' }));
    const { cliConfig } = detected as TerraformToolchain;
    expect(readFileSync(cliConfig, 'utf8')).toContain(`filesystem_mirror { path = ${JSON.stringify(mirror)} }`);
    rmSync(dirname(cliConfig), { recursive: true, force: true });
  });

  test('on this machine: a skip names a prerequisite that is really absent; otherwise the toolchain works', () => {
    if (tf === undefined) {
      const missing = (found as { missing: string }).missing; // printed in the SKIPPED banner above
      // The skip must be true: what the detection calls missing is missing (a detection that
      // wrongly reports a missing prerequisite would otherwise switch these checks off quietly).
      const bin = process.env.TERRAFORM_BIN;
      const onPath = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '' && existsSync(join(d, 'terraform')));
      const mirror = process.env.RAS_TF_MIRROR ?? '/opt/tf-plugins';
      const awsDir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
      const mirrored = existsSync(awsDir) ? readdirSync(awsDir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
      if (missing.startsWith('terraform not found')) expect({ bin: bin !== undefined && existsSync(bin), onPath: bin === undefined ? onPath : [] }).toEqual({ bin: false, onPath: [] });
      else if (missing.startsWith('terraform provider mirror not found')) expect({ mirror, mirrored }).toEqual({ mirror, mirrored: [] });
      else throw new Error(`unexpected prerequisite report: ${missing}`);
    } else {
      const version = execFileSync(tf.binary, ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
      expect(JSON.parse(version).terraform_version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(tf.awsVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(existsSync(join(tf.mirror, 'registry.terraform.io', 'hashicorp', 'aws', tf.awsVersion))).toBe(true);
    }
  });
});
