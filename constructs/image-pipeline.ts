/**
 * The hardened gateway image, built by EC2 Image Builder: a recipe on a pinned Debian 12 base, a
 * build component that applies the gateway's hardening role with Ansible (the same role files the
 * gateways converge with, uploaded beside the pipeline), a test component that runs Lynis on an
 * instance launched from the new image and fails the build below the required hardening index,
 * and a distribution to the given regions only. The image's build version ARN is what the fleet
 * pins next to each region's image id (contract/fleet-checks.ts checks it is this pipeline's).
 */
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ImagebuilderComponent } from '@cdktf/provider-aws/lib/imagebuilder-component';
import { ImagebuilderDistributionConfiguration } from '@cdktf/provider-aws/lib/imagebuilder-distribution-configuration';
import { ImagebuilderImagePipeline } from '@cdktf/provider-aws/lib/imagebuilder-image-pipeline';
import { ImagebuilderImageRecipe } from '@cdktf/provider-aws/lib/imagebuilder-image-recipe';
import { ImagebuilderInfrastructureConfiguration } from '@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { JAPAN_REGIONS } from '../commitments';
import { policyDocument } from './policy-document';
import { PropsCheck } from './validate';

/** A file the build component downloads (a file of the hardening role, relative to the roles folder). */
export interface BuildFile {
  /** Path under the build folder, e.g. `roles/hardening/tasks/main.yml` ('/'-separated, no '..'). */
  readonly path: string;
  /** The file as Terraform reads it (relative to where Terraform runs, or absolute). */
  readonly source: string;
  /** sha256 of the file's bytes (64 hex digits): a changed file is uploaded again. */
  readonly sha256: string;
}

export interface GatewayImagePipelineProps {
  /** Recipe, image and pipeline name (lower-case letters, digits, '-'; 1-100). */
  readonly name: string;
  /** Account that owns the pipeline (12 digits); names the build bucket. */
  readonly accountId: string;
  /** Region the pipeline builds in: where the build bucket and the SSM agent download are. */
  readonly buildRegion: string;
  /** Debian 12 AMI (`ami-...`) the recipe starts from, pinned: never looked up. */
  readonly parentImage: string;
  /** Recipe version (x.y.z); a changed recipe needs a new version (recipes are immutable). */
  readonly recipeVersion: string;
  /** Regions the image is copied to; each must be one of `allowedRegions`. */
  readonly distributionRegions: readonly string[];
  /** The hardening role's files. */
  readonly roleFiles: readonly BuildFile[];
  /** Name of the role the build applies (a folder under `roles/` of `roleFiles`). */
  readonly roleName: string;
  /** Variables for the role (written as JSON beside it, passed with `--extra-vars @file`: never on a command line). */
  readonly roleVariables: Readonly<Record<string, unknown>>;
  /** Lynis hardening index the test requires (0-100). */
  readonly minLynisIndex: number;
  /** SNS topic told about every build's outcome. */
  readonly notificationTopicArn: string;
  /**
   * Regions the image may be distributed to.
   * @default JAPAN_REGIONS (whitepaper: data and systems stay in Japan)
   */
  readonly allowedRegions?: readonly string[];
  /**
   * Instance type of the build and test instances.
   * @default 'c6i.large' (the smallest gateway class)
   */
  readonly instanceType?: string;
  /**
   * Root volume of the image (GiB, gp3, encrypted).
   * @default 20 (the gateway's)
   */
  readonly rootVolumeGiB?: number;
}

/** Where the build component puts the downloaded files on the build instance. */
export const BUILD_DIR = '/var/tmp/ras-image-build';
const BUILD_PREFIX = 'image-build/';
const LOG_PREFIX = 'logs/';

export class GatewayImagePipeline extends Construct {
  public readonly recipe: ImagebuilderImageRecipe;
  public readonly pipeline: ImagebuilderImagePipeline;
  public readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: GatewayImagePipelineProps) {
    super(scope, id);
    validateProps(this, props);
    this.bucket = new S3Bucket(this, 'BuildBucket', { bucket: `${props.name}-image-build-${props.accountId}`, forceDestroy: true });
    new S3BucketPublicAccessBlock(this, 'BuildBucketPublicAccess', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'BuildBucketOwnership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'BuildBucketEncryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });

    const playbook = stringify([{ name: 'Harden the gateway image', hosts: 'localhost', connection: 'local', become: true, roles: [{ role: props.roleName }] }]);
    const uploads: { path: string; object: S3Object }[] = [
      ...props.roleFiles.map((f) => ({
        path: f.path,
        object: new S3Object(this, `File-${f.path}`, { bucket: this.bucket.id, key: `${BUILD_PREFIX}${f.path}`, source: f.source, sourceHash: f.sha256 }),
      })),
      { path: 'image.yml', object: new S3Object(this, 'Playbook', { bucket: this.bucket.id, key: `${BUILD_PREFIX}image.yml`, content: playbook }) },
      {
        path: 'image-vars.json',
        object: new S3Object(this, 'Variables', { bucket: this.bucket.id, key: `${BUILD_PREFIX}image-vars.json`, content: `${JSON.stringify(props.roleVariables, null, 2)}\n` }),
      },
    ];

    const hardening = new ImagebuilderComponent(this, 'HardeningComponent', {
      name: `${props.name}-hardening`,
      version: props.recipeVersion,
      platform: 'Linux',
      supportedOsVersions: ['Debian 12'],
      description: `Applies the gateway's ${props.roleName} role with Ansible`,
      data: componentDocument('build', [
        { name: 'DownloadRole', action: 'S3Download', inputs: uploads.map((u) => ({ source: `s3://${this.bucket.bucket}/${u.object.key}`, destination: `${BUILD_DIR}/${u.path}` })) },
        { name: 'InstallAnsible', action: 'ExecuteBash', inputs: { commands: ['apt-get update', 'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ansible'] } },
        {
          name: 'ApplyHardeningRole',
          action: 'ExecuteBash',
          inputs: { commands: [`ANSIBLE_ROLES_PATH=${BUILD_DIR}/roles ansible-playbook --inventory localhost, ${BUILD_DIR}/image.yml --extra-vars @${BUILD_DIR}/image-vars.json`] },
        },
        // Ansible configures the image; the gateways never run it on themselves.
        { name: 'RemoveAnsible', action: 'ExecuteBash', inputs: { commands: ['DEBIAN_FRONTEND=noninteractive apt-get purge -y --auto-remove ansible', `rm -rf ${BUILD_DIR}`] } },
      ]),
    });
    const lynis = new ImagebuilderComponent(this, 'LynisComponent', {
      name: `${props.name}-lynis-gate`,
      version: props.recipeVersion,
      platform: 'Linux',
      supportedOsVersions: ['Debian 12'],
      description: `Fails the image below Lynis hardening index ${props.minLynisIndex}`,
      data: componentDocument('test', [
        {
          name: `LynisIndexAtLeast${props.minLynisIndex}`,
          action: 'ExecuteBash',
          inputs: {
            commands: [
              'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends lynis',
              'lynis audit system --quick --no-colors --report-file /var/tmp/lynis-report.dat',
              // No braces: "${" would be Terraform interpolation in the synthesized JSON.
              "index=$(sed -n 's/^hardening_index=//p' /var/tmp/lynis-report.dat)",
              'echo "Lynis hardening index: $index"',
              `[ -n "$index" ] && [ "$index" -ge ${props.minLynisIndex} ]`,
            ],
          },
        },
      ]),
    });

    this.recipe = new ImagebuilderImageRecipe(this, 'Recipe', {
      name: props.name,
      version: props.recipeVersion,
      parentImage: props.parentImage,
      description: 'RAS gateway: Debian 12 with the hardening role, Lynis-gated',
      component: [{ componentArn: hardening.arn }, { componentArn: lynis.arn }],
      blockDeviceMapping: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeType: 'gp3', volumeSize: props.rootVolumeGiB ?? 20, deleteOnTermination: 'true' } }],
      // Debian's AMIs carry no SSM agent, which Image Builder drives the build through.
      userDataBase64: Buffer.from(ssmAgentUserData(props.buildRegion)).toString('base64'),
      systemsManagerAgent: { uninstallAfterBuild: true },
    });

    const role = new IamRole(this, 'InstanceRole', {
      name: `${props.name}-image-build`,
      description: 'Image Builder build and test instances of the RAS gateway image',
      assumeRolePolicy: policyDocument([{ Sid: 'Ec2Assume', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    });
    for (const [key, policy] of [
      ['ImageBuilder', 'arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder'],
      ['Ssm', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
    ] as const) {
      new IamRolePolicyAttachment(this, `InstanceRole${key}`, { role: role.name, policyArn: policy });
    }
    new IamRolePolicy(this, 'InstanceRoleBuildBucket', {
      role: role.id,
      name: 'build-bucket',
      policy: policyDocument([
        { Sid: 'ReadBuildFiles', Effect: 'Allow', Action: 's3:GetObject', Resource: `${this.bucket.arn}/${BUILD_PREFIX}*` },
        { Sid: 'WriteBuildLogs', Effect: 'Allow', Action: 's3:PutObject', Resource: `${this.bucket.arn}/${LOG_PREFIX}*` },
      ]),
    });
    const profile = new IamInstanceProfile(this, 'InstanceProfile', { name: `${props.name}-image-build`, role: role.name });

    const infrastructure = new ImagebuilderInfrastructureConfiguration(this, 'Infrastructure', {
      name: props.name,
      instanceProfileName: profile.name,
      instanceTypes: [props.instanceType ?? 'c6i.large'],
      terminateInstanceOnFailure: true,
      instanceMetadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      logging: { s3Logs: { s3BucketName: this.bucket.bucket, s3KeyPrefix: LOG_PREFIX.replace(/\/$/, '') } },
      snsTopicArn: props.notificationTopicArn,
    });
    const distribution = new ImagebuilderDistributionConfiguration(this, 'Distribution', {
      name: props.name,
      description: 'The gateway image, in the fleet regions only',
      distribution: [...props.distributionRegions].sort().map((region) => ({
        region,
        amiDistributionConfiguration: { name: `${props.name}-{{ imagebuilder:buildDate }}`, amiTags: { 'ras:image-recipe': `${props.name}/${props.recipeVersion}` } },
      })),
    });
    this.pipeline = new ImagebuilderImagePipeline(this, 'Pipeline', {
      name: props.name,
      description: 'Builds, tests (Lynis) and distributes the RAS gateway image',
      imageRecipeArn: this.recipe.arn,
      infrastructureConfigurationArn: infrastructure.arn,
      distributionConfigurationArn: distribution.arn,
      imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: 90 },
      status: 'ENABLED',
    });
  }
}

/** An AWSTOE component document with one phase. */
function componentDocument(phase: 'build' | 'test', steps: readonly Record<string, unknown>[]): string {
  return stringify({ name: phase === 'build' ? 'ras-gateway-hardening' : 'ras-gateway-lynis-gate', schemaVersion: 1.0, phases: [{ name: phase, steps }] }, { lineWidth: 0 });
}

/** Installs and starts AWS's SSM agent (its documented .deb for Debian, from the build region). */
function ssmAgentUserData(region: string): string {
  return [
    '#!/bin/sh',
    'set -eu',
    `curl -fsSL -o /var/tmp/amazon-ssm-agent.deb https://s3.${region}.amazonaws.com/amazon-ssm-${region}/latest/debian_amd64/amazon-ssm-agent.deb`,
    'dpkg -i /var/tmp/amazon-ssm-agent.deb',
    'systemctl enable --now amazon-ssm-agent',
    '',
  ].join('\n');
}

function validateProps(pipeline: GatewayImagePipeline, props: GatewayImagePipelineProps): void {
  const check = new PropsCheck('GatewayImagePipeline', pipeline);
  check.matches('name', props.name, /^[a-z0-9][a-z0-9-]{0,99}$/, "1-100 lower-case letters, digits and '-'");
  check.matches('accountId', props.accountId, /^\d{12}$/, 'an AWS account id, 12 digits');
  check.matches('parentImage', props.parentImage, /^ami-[0-9a-f]{8,17}$/, 'an AMI id, ami- and 8-17 hex digits');
  check.matches('recipeVersion', props.recipeVersion, /^\d+\.\d+\.\d+$/, 'a semantic version x.y.z');
  check.integer('minLynisIndex', props.minLynisIndex, 0, 100);
  check.integer('rootVolumeGiB', props.rootVolumeGiB, 8, 16384);
  check.arn('notificationTopicArn', props.notificationTopicArn, 'sns');
  const allowed = props.allowedRegions ?? JAPAN_REGIONS;
  const regionsAllowed = `one of ${allowed.join(', ')}`;
  check.matches('buildRegion', props.buildRegion, new RegExp(`^(${allowed.join('|')})$`), regionsAllowed);
  if (props.distributionRegions.length === 0) check.add('CP114', 'distributionRegions', props.distributionRegions, 'is empty', 'at least one region');
  props.distributionRegions.forEach((r, i) => check.matches(`distributionRegions[${i}]`, r, new RegExp(`^(${allowed.join('|')})$`), regionsAllowed));
  check.unique(props.distributionRegions, (i) => `distributionRegions[${i}]`, (r) => r, 'region');
  check.stableName('roleName', props.roleName);
  props.roleFiles.forEach((f, i) => {
    check.matches(`roleFiles[${i}].path`, f.path, /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]+$/, "a relative path of letters, digits, '.', '_', '-' and '/', without '.' or '..' parts");
    check.matches(`roleFiles[${i}].sha256`, f.sha256, /^[0-9a-f]{64}$/, 'a sha256 digest, 64 lower-case hex digits');
  });
  if (!props.roleFiles.some((f) => f.path === `roles/${props.roleName}/tasks/main.yml`)) {
    check.add('CP114', 'roleFiles', props.roleFiles.length, `hold no roles/${props.roleName}/tasks/main.yml`, 'the role to apply');
  }
  check.done();
}
