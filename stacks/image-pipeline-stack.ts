/**
 * The fleet's image pipeline stack: one per fleet, its own state, in the pipeline's build region.
 * Wires GatewayImagePipeline from the fleet settings and the gateway's hardening role as it is in
 * this checkout (so a change to the role is a change to the next image); holds no resource logic.
 *
 * Written by `ras synth` / `ras build` to `<outdir>/fleet/stacks/image-pipeline/cdk.tf.json`
 * (outside `<outdir>/stacks/`, which holds one stack per tenant and nothing else). Terraform runs
 * in that folder and reads the role files by their path relative to it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { FleetSettings } from '../contract/types';
import { GatewayImagePipeline, type BuildFile } from '../constructs/image-pipeline';
import { readAnsibleYaml } from '../lib/ansible-yaml/read';
import { gatewayImageName, LYNIS_MIN_INDEX } from '../lib/image-pipeline';
import { replaceWhole, stagingDir } from '../lib/output-dirs';
import { productRolesDir } from '../lib/product-roles';

export const IMAGE_PIPELINE_STACK = 'image-pipeline';
/** Under the output folder: a cdktf app of its own, apart from the tenants' `stacks/`. */
export const FLEET_APP_DIR = 'fleet';
/** The role the image is built with: the same one every gateway converges with. */
export const IMAGE_ROLE = 'hardening';

export interface ImagePipelineStackProps {
  readonly fleet: FleetSettings;
  /** The checkout's `ansible/roles` folder (read now for the files' hashes). */
  readonly rolesDir: string;
  /** The same folder as Terraform, running in the stack's folder, reaches it. */
  readonly rolesDirFromStack: string;
}

export class ImagePipelineStack extends TerraformStack {
  public readonly pipeline: GatewayImagePipeline;

  constructor(scope: Construct, props: ImagePipelineStackProps) {
    super(scope, IMAGE_PIPELINE_STACK);
    const { fleet } = props;
    const build = fleet.imagePipeline;
    new S3Backend(this, {
      bucket: fleet.stateBackend.bucket,
      key: `fleet/${IMAGE_PIPELINE_STACK}/terraform.tfstate`,
      region: fleet.stateBackend.region,
      encrypt: true,
      kmsKeyId: fleet.stateBackend.kmsKeyArn,
    });
    this.addOverride('terraform.backend.s3.use_lockfile', true);
    new AwsProvider(this, 'aws', {
      region: build.region,
      allowedAccountIds: [fleet.accountId],
      defaultTags: [{ tags: { 'ras:component': 'gateway-image-pipeline' } }],
    });
    this.pipeline = new GatewayImagePipeline(this, 'GatewayImage', {
      name: gatewayImageName(fleet.namePrefix),
      accountId: fleet.accountId,
      buildRegion: build.region,
      parentImage: build.baseImageId,
      recipeVersion: build.recipeVersion,
      distributionRegions: Object.keys(fleet.regions).sort(),
      roleName: IMAGE_ROLE,
      roleFiles: roleFiles(props.rolesDir, props.rolesDirFromStack, IMAGE_ROLE),
      // What the gateways get from the same settings (gateway-config/render.ts): only the operations network reaches SSH.
      roleVariables: { hardening_management_cidr: fleet.operationsCidr },
      minLynisIndex: LYNIS_MIN_INDEX,
      notificationTopicArn: fleet.regions[build.region]?.operationsTopicArn ?? '',
    });
    new TerraformOutput(this, 'image_pipeline_arn', { value: this.pipeline.pipeline.arn });
    new TerraformOutput(this, 'image_recipe_arn', { value: this.pipeline.recipe.arn });
  }
}

/**
 * The role and the roles it depends on (`dependencies` of meta/main.yml, recursively): Ansible
 * loads them with it, and finds plugins only in loaded roles (the hardening role writes its files
 * with roles/ras_files' action and module).
 */
export function roleWithDependencies(rolesDir: string, role: string, seen = new Set<string>()): string[] {
  if (seen.has(role)) return [];
  seen.add(role);
  const metaFile = join(rolesDir, role, 'meta', 'main.yml');
  // Read as Ansible reads it (YAML 1.1); a file the two could read differently is refused.
  const read = existsSync(metaFile) ? readAnsibleYaml(readFileSync(metaFile, 'utf8')) : { ok: true as const, value: {} };
  if (!read.ok) throw new Error(`${metaFile}: ${read.reason}`);
  const meta = read.value as { dependencies?: (string | { role?: string; name?: string })[] };
  const deps = (meta.dependencies ?? []).map((d) => (typeof d === 'string' ? d : (d.role ?? d.name ?? '')));
  return [role, ...deps.flatMap((d) => roleWithDependencies(rolesDir, d, seen))];
}

/** Every file of one role and of the roles it depends on, role by role in name order, with its hash. */
function roleFiles(rolesDir: string, fromStack: string, role: string): BuildFile[] {
  const files: BuildFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      // Bytecode Python leaves next to a role's plugins on the machine that ran it: not role source.
      if (name === '__pycache__') continue;
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(rolesDir, path).split(sep).join('/');
        files.push({ path: `roles/${rel}`, source: `${fromStack}/${rel}`, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
      }
    }
  };
  for (const r of roleWithDependencies(rolesDir, role)) walk(join(rolesDir, r));
  return files;
}

/**
 * Synthesizes the image pipeline stack into `<outdir>/fleet/` (cdktf's layout: stacks/<id>/cdk.tf.json
 * and manifest.json). `rolesDir` is the checkout's ansible/roles; Terraform reaches it relative to
 * the stack folder. The previous `<outdir>/fleet/` is replaced (callers write into a staging folder).
 */
export function synthImagePipeline(fleet: FleetSettings, outdir: string, rolesDir = productRolesDir()): string {
  const appDir = join(outdir, FLEET_APP_DIR);
  const stackDir = join(appDir, 'stacks', IMAGE_PIPELINE_STACK);
  const staging = stagingDir(appDir);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true });
    const app = new App({ outdir: staging, skipValidation: true });
    // Relative to the final folder: for `<checkout>/cdktf.out`, ../../../../ansible/roles from every checkout.
    new ImagePipelineStack(app, { fleet, rolesDir, rolesDirFromStack: relative(stackDir, rolesDir).split(sep).join('/') });
    app.synth();
    replaceWhole(staging, appDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return stackDir;
}
