/**
 * Runs the real terraform binary offline against a synthesized stack.
 *
 * What this harness changes, and why (the stacks users deploy are never changed):
 * - backend: local instead of S3 (no AWS here);
 * - provider: fake keys and the skip_* flags so no AWS endpoint is called; allowed_account_ids
 *   dropped, since with skip_requesting_account_id the account cannot be verified;
 * - provider version: the binding targets hashicorp/aws 6.25.0, but the only provider this
 *   machine's offline mirror holds is 5.100.0, so the constraint is set to the mirror's version.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import execa from 'execa';

export interface TerraformToolchain {
  readonly binary: string;
  readonly mirror: string;
  readonly awsVersion: string;
  readonly cliConfig: string;
}

/** The binary and the offline mirror (from TERRAFORM_BIN or PATH, and RAS_TF_MIRROR), or what is missing. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformToolchain | { missing: string } {
  const binary = env.TERRAFORM_BIN ?? (env.PATH ?? '').split(delimiter).map((d) => join(d, 'terraform')).find((p) => existsSync(p));
  if (binary === undefined) return { missing: 'terraform not found (set TERRAFORM_BIN or put terraform on PATH)' };
  if (!existsSync(binary)) return { missing: `terraform not found at TERRAFORM_BIN=${binary}` };
  const mirror = env.RAS_TF_MIRROR ?? '/opt/tf-plugins';
  const versions = mirroredAwsVersions(mirror);
  if (versions.length === 0) return { missing: `terraform provider mirror not found (no hashicorp/aws under ${mirror}; set RAS_TF_MIRROR)` };
  const work = mkdtempSync(join(tmpdir(), 'ras-tf-'));
  const cache = join(work, 'plugin-cache');
  mkdirSync(cache);
  const cliConfig = join(work, 'cli.tfrc');
  writeFileSync(
    cliConfig,
    [
      'provider_installation {',
      `  filesystem_mirror { path = ${JSON.stringify(mirror)} }`,
      '  direct { exclude = ["registry.terraform.io/*/*"] }',
      '}',
      `plugin_cache_dir = ${JSON.stringify(cache)}`,
      '',
    ].join('\n'),
  );
  return { binary, mirror, awsVersion: versions[versions.length - 1], cliConfig };
}

/** The hashicorp/aws versions a filesystem mirror holds, oldest first (compared as numbers: 5.9.0 < 5.100.0). */
export function mirroredAwsVersions(mirror: string): string[] {
  const awsDir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  const versions = existsSync(awsDir) ? readdirSync(awsDir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
  const parts = (v: string) => v.split('.').map(Number);
  return versions.sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

/**
 * A copy of the stack's JSON made runnable offline, in a fresh working directory (or in `dir`,
 * for a stack whose file paths are relative to where it was synthesized).
 */
export function prepareOffline(stackJsonFile: string, tf: TerraformToolchain, dir?: string): string {
  const json = JSON.parse(readFileSync(stackJsonFile, 'utf8'));
  json.terraform.backend = { local: { path: 'terraform.tfstate' } };
  json.terraform.required_providers.aws.version = tf.awsVersion;
  for (const provider of json.provider.aws) {
    delete provider.allowed_account_ids;
    Object.assign(provider, {
      access_key: 'AKIAOFFLINEEXAMPLE00',
      secret_key: 'offline-test-not-a-secret',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
  }
  const work = dir ?? mkdtempSync(join(tmpdir(), 'ras-tf-stack-'));
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'main.tf.json'), JSON.stringify(json, null, 2));
  return work;
}

export async function terraform(tf: TerraformToolchain, dir: string, args: string[]): Promise<execa.ExecaReturnValue> {
  return execa(tf.binary, args, {
    cwd: dir,
    reject: false,
    env: { TF_CLI_CONFIG_FILE: tf.cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', AWS_EC2_METADATA_DISABLED: 'true' },
  });
}
