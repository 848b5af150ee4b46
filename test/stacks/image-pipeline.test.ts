/**
 * The image pipeline stack: what it builds (Debian 12 base, the hardening role's files as they are
 * in this checkout, a Lynis gate at 85, Japan regions only), that its construct refuses anything
 * else, that the fleet can pin only images of this pipeline (RAS106), and real offline
 * `terraform init`/`validate`/`plan` of the synthesized stack as `ras synth` writes it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { GatewayImagePipeline, type GatewayImagePipelineProps } from '../../constructs/image-pipeline';
import { ConstructPropsError } from '../../constructs/validate';
import { ImagePipelineStack } from '../../stacks/image-pipeline-stack';
import { writeFleetOutputs } from '../../build/fleet-outputs';
import { synthTenants } from '../../stacks/synth';
import { exampleFleet } from '../helpers/synth';
import { findTerraform, prepareOffline, terraform, type TerraformToolchain } from '../helpers/terraform';
import { REPO, Workspace } from '../helpers/workspace';

const ROLES = join(REPO, 'ansible', 'roles');
const fleet = exampleFleet().settings;

function synthStack(): any {
  const app = Testing.app();
  const stack = new ImagePipelineStack(app, { fleet, rolesDir: ROLES, rolesDirFromStack: '../../../../ansible/roles' });
  return JSON.parse(Testing.synth(stack, true));
}
const json = synthStack();
const all = (type: string): any[] => Object.values(json.resource[type] ?? {});
const one = (type: string): any => {
  const list = all(type);
  if (list.length !== 1) throw new Error(`${list.length} ${type}`);
  return list[0];
};

function filesOf(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((n) => n !== '__pycache__')
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesOf(join(dir, n)) : [join(dir, n)]));
}

test('the recipe starts from the pinned Debian 12 image, with the hardening component and the Lynis gate', () => {
  const recipe = one('aws_imagebuilder_image_recipe');
  expect(recipe).toMatchObject({ name: 'ras-prod-gateway', version: '1.0.0', parent_image: fleet.imagePipeline.baseImageId });
  const components = all('aws_imagebuilder_component');
  expect(components.map((c) => c.name).sort()).toEqual(['ras-prod-gateway-hardening', 'ras-prod-gateway-lynis-gate']);
  expect(recipe.component).toHaveLength(2);
  expect(recipe.block_device_mapping[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
  // Debian's AMIs have no SSM agent: user data installs it from the build region.
  expect(Buffer.from(recipe.user_data_base64, 'base64').toString()).toContain('https://s3.ap-northeast-1.amazonaws.com/amazon-ssm-ap-northeast-1/latest/debian_amd64/amazon-ssm-agent.deb');

  const lynis = components.find((c) => c.name.endsWith('lynis-gate'));
  expect(lynis.data).toContain('- name: test');
  expect(lynis.data).toContain('lynis audit system');
  expect(lynis.data).toContain('[ "$index" -ge 85 ]');
  // Shell variables only without braces: "${" is Terraform's interpolation.
  const hardening = components.find((c) => c.name.endsWith('hardening'));
  expect(hardening.data).toContain('- name: build');
  expect(hardening.data).toMatch(/ansible-playbook --inventory localhost, \/var\/tmp\/ras-image-build\/image\.yml --extra-vars @\/var\/tmp\/ras-image-build\/image-vars\.json/);
  for (const c of components) for (const m of c.data.matchAll(/\$\{([^}]*)\}/g)) expect(m[1]).toMatch(/^aws_s3_(bucket|object)\.[A-Za-z0-9_-]+\.(bucket|key)$/);
  expect(one('aws_imagebuilder_image_pipeline').image_tests_configuration).toEqual({ image_tests_enabled: true, timeout_minutes: 90 });
});

test("every file of the hardening role and of ras_files, its dependency, is uploaded as it is in this checkout and downloaded by the build", () => {
  const objects = all('aws_s3_object');
  const hardening = all('aws_imagebuilder_component').find((c) => c.name.endsWith('hardening'));
  // The hardening role writes its files with ras_files' action and module: without them the build's
  // ansible-playbook (ANSIBLE_ROLES_PATH only) would not know the task's action.
  const writer = filesOf(join(ROLES, 'ras_files')).map((f) => relative(ROLES, f));
  expect(writer).toEqual(expect.arrayContaining(['ras_files/action_plugins/ras_files.py', 'ras_files/library/ras_files.py', 'ras_files/meta/main.yml']));
  const roleFiles = [...filesOf(join(ROLES, 'hardening')), ...filesOf(join(ROLES, 'ras_files'))];
  // Exactly those files: nothing of another role, no bytecode a local run left next to the plugins.
  expect(objects.filter((o) => o.key.startsWith('image-build/roles/')).map((o) => o.key).sort()).toEqual(roleFiles.map((f) => `image-build/roles/${relative(ROLES, f)}`).sort());
  expect(roleFiles.length).toBeGreaterThan(5);
  for (const file of roleFiles) {
    const rel = relative(ROLES, file);
    const object = objects.find((o) => o.key === `image-build/roles/${rel}`);
    expect({ rel, source: object?.source, hash: object?.source_hash }).toEqual({
      rel,
      source: `../../../../ansible/roles/${rel}`,
      hash: createHash('sha256').update(readFileSync(file)).digest('hex'),
    });
    expect(hardening.data).toContain(`destination: /var/tmp/ras-image-build/roles/${rel}`);
  }
  const vars = objects.find((o) => o.key === 'image-build/image-vars.json');
  expect(JSON.parse(vars.content)).toEqual({ hardening_management_cidr: fleet.operationsCidr });
});

test('distributed to the Japan regions only; build instances IMDSv2 only; bucket private', () => {
  expect(one('aws_imagebuilder_distribution_configuration').distribution.map((d: any) => d.region)).toEqual(['ap-northeast-1', 'ap-northeast-3']);
  expect(one('aws_imagebuilder_infrastructure_configuration')).toMatchObject({ terminate_instance_on_failure: true, instance_metadata_options: { http_tokens: 'required' } });
  expect(one('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  expect(json.provider.aws[0].region).toBe('ap-northeast-1');
  expect(json.terraform.backend.s3.key).toBe('fleet/image-pipeline/terraform.tfstate');
});

describe('the construct refuses', () => {
  const base = (): GatewayImagePipelineProps => ({
    name: 'ras-test-gateway',
    accountId: '111122223333',
    buildRegion: 'ap-northeast-1',
    parentImage: 'ami-0a0b0c0d0e0f10111',
    recipeVersion: '1.0.0',
    distributionRegions: ['ap-northeast-1'],
    roleName: 'hardening',
    roleFiles: [{ path: 'roles/hardening/tasks/main.yml', source: 'x', sha256: 'a'.repeat(64) }],
    roleVariables: {},
    minLynisIndex: 85,
    notificationTopicArn: 'arn:aws:sns:ap-northeast-1:111122223333:ops',
  });
  const codes = (props: GatewayImagePipelineProps): string[] => {
    try {
      new GatewayImagePipeline(new TerraformStack(Testing.app(), 's'), 'P', props);
    } catch (e) {
      if (e instanceof ConstructPropsError) return e.problems.map((p) => `${p.code} ${p.field}`);
      throw e;
    }
    return [];
  };
  test.each([
    ['a distribution outside Japan', { distributionRegions: ['ap-northeast-1', 'us-east-1'] }, ['CP108 distributionRegions[1]']],
    ['a build outside Japan', { buildRegion: 'eu-west-1' }, ['CP108 buildRegion']],
    ['no distribution', { distributionRegions: [] }, ['CP114 distributionRegions']],
    ['a role without its tasks', { roleFiles: [{ path: 'roles/hardening/defaults/main.yml', source: 'x', sha256: 'a'.repeat(64) }] }, ['CP114 roleFiles']],
    ['a file path climbing out', { roleFiles: [...base().roleFiles, { path: 'roles/../../etc/passwd', source: 'x', sha256: 'a'.repeat(64) }] }, ['CP108 roleFiles[1].path']],
    ['a Lynis index above 100', { minLynisIndex: 101 }, ['CP102 minLynisIndex']],
  ])('%s', (_, change, expected) => {
    expect(codes({ ...base(), ...change })).toEqual(expected);
  });
  test('nothing in the valid case', () => expect(codes(base())).toEqual([]));
});

describe('RAS106: the fleet pins only images of its own pipeline, at its current recipe version', () => {
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.remove());
  const found = () => ws.problems().map((p) => `${p.code} ${p.field} ${p.line}`);
  const arn = 'arn:aws:imagebuilder:ap-northeast-1:111122223333:image/ras-prod-gateway/1.0.0/1';

  test('the examples pin builds of the pipeline', () => expect(found()).toEqual([]));
  test.each([
    ['an older recipe version', arn.replace('/1.0.0/', '/0.9.0/')],
    ['another account', arn.replace('111122223333', '999988887777')],
    ['another recipe', arn.replace('ras-prod-gateway', 'hand-made')],
    ['another build region', arn.replace(':ap-northeast-1:', ':ap-northeast-3:')],
  ])('%s is refused, naming the region and line', (_, wrong) => {
    ws.write('fleet.yaml', ws.read('fleet.yaml').replace(`gatewayImageBuild: ${arn}\n    operationsTopicArn: arn:aws:sns:ap-northeast-3`, `gatewayImageBuild: ${wrong}\n    operationsTopicArn: arn:aws:sns:ap-northeast-3`));
    const problems = ws.problems();
    expect(problems.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS106 regions.ap-northeast-3.gatewayImageBuild']);
    expect(problems[0].message).toContain('expected arn:aws:imagebuilder:ap-northeast-1:111122223333:image/ras-prod-gateway/1.0.0/<build>');
  });
  test('a new recipe version makes every old pin a finding until re-pinned', () => {
    ws.write('fleet.yaml', ws.read('fleet.yaml').replace('recipeVersion: 1.0.0', 'recipeVersion: 1.1.0'));
    expect(found().map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual(['RAS106 regions.ap-northeast-1.gatewayImageBuild', 'RAS106 regions.ap-northeast-3.gatewayImageBuild']);
  });
  test('a pin without its build is a schema violation', () => {
    ws.write('fleet.yaml', ws.read('fleet.yaml').replace(/ {4}gatewayImageBuild: .*\n/, ''));
    expect(found().map((f) => f.split(' ')[0])).toEqual(['RAS010']);
  });
});

const toolchain = findTerraform();
const tf: TerraformToolchain | undefined = 'missing' in toolchain ? undefined : toolchain;
if (tf === undefined) {
  const line = `SKIPPED: ${(toolchain as { missing: string }).missing}; the image pipeline's terraform init/validate/plan did not run`;
  process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
}
(tf === undefined ? describe.skip : describe)('terraform on the image pipeline stack as ras synth writes it', () => {
  let ws: Workspace;
  let work: string;
  let stackFile: string;
  beforeAll(() => {
    ws = new Workspace();
    const out = join(ws.dir, 'cdktf.out');
    synthTenants({ paths: ws.paths, outdir: out, fleetOutputs: (d, f) => writeFleetOutputs(d, f) });
    stackFile = join(out, 'fleet', 'stacks', 'image-pipeline', 'cdk.tf.json');
    // Beside the synthesized folder, so the role files' relative paths reach the same files.
    work = prepareOffline(stackFile, tf!, join(out, 'fleet', 'stacks', 'image-pipeline-offline'));
  });
  afterAll(() => ws.remove());

  test('the role files are referenced relative to the stack folder and exist', () => {
    const config = JSON.parse(readFileSync(stackFile, 'utf8'));
    const sources = Object.values(config.resource.aws_s3_object as Record<string, { source?: string }>).flatMap((o) => (o.source ? [o.source] : []));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) expect(statSync(resolve(work, s)).isFile()).toBe(true);
  });

  test('init, validate and an offline plan that creates exactly the synthesized resources', async () => {
    const init = await terraform(tf!, work, ['init', '-input=false', '-no-color']);
    expect({ code: init.exitCode, err: init.stderr }).toEqual({ code: 0, err: '' });
    const validate = JSON.parse((await terraform(tf!, work, ['validate', '-json', '-no-color'])).stdout);
    expect(validate.diagnostics).toEqual([]);
    const p = await terraform(tf!, work, ['plan', '-input=false', '-no-color', '-out=plan.bin']);
    expect({ code: p.exitCode, err: p.stderr }).toEqual({ code: 0, err: '' });
    const plan = JSON.parse((await terraform(tf!, work, ['show', '-json', 'plan.bin'])).stdout);
    const config = JSON.parse(readFileSync(stackFile, 'utf8'));
    const declared = Object.entries(config.resource as Record<string, Record<string, unknown>>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(plan.resource_changes.map((c: any) => c.address).sort()).toEqual(declared.sort());
    for (const c of plan.resource_changes) expect(c.change.actions).toEqual(['create']);
    const recipe = plan.resource_changes.find((c: any) => c.type === 'aws_imagebuilder_image_recipe');
    expect(recipe.change.after).toMatchObject({ parent_image: fleet.imagePipeline.baseImageId, version: '1.0.0' });
    rmSync(join(work, 'plan.bin'), { force: true });
  }, 120_000);
});
