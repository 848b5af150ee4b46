/**
 * Real applies against the AWS API emulator (test/helpers/emulator.ts), the tenant's whole life:
 * the fleet stack from an empty account (local state first, then moved into the state bucket it
 * made), its outputs recorded in fleet-outputs/<region>.json; the tenant deployed by the cdktf CLI
 * itself (`cdktf deploy --skip-synth` on the prepared output) with the S3 backend and lock file in
 * the emulator; a second plan with no changes; drift made behind Terraform's back reported by
 * `ras drift`; then `ras contract apply` events: two in-place changes, termination, and the purge
 * (refused inside the 45-day window, done after it, with a clock the test sets), each as a real
 * saved plan that `ras plan-review --plan` judges before exactly that plan is applied.
 *
 * The hand-off is real: when the emulator has made the instance, a Debian 12 root filesystem
 * gets what cloud-init does with the instance's user data and its sshd comes up in a network
 * namespace at the private address the emulator gave the instance (test/deploy/lib/gateway-host.ts);
 * the `terraform_data` local-exec then runs the generated playbook over SSH with the operations
 * account and key (the gateway's secrets from a file secret store, see storeSecrets), and a real
 * client brings a tunnel up through the converged gateway. Later steps see from Terraform's own
 * output whether the playbook ran again.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import execa from 'execa';
import { parseDocument } from 'yaml';
import { applyEventText } from '../../../events/apply';
import { todayInJapan, windowEnd } from '../../../lib/calendar';
import { synthTenants } from '../../../stacks/synth';
import { ras } from '../../helpers/cli';
import { adaptForEmulator, startEmulator, type Emulator } from '../../helpers/emulator';
import { findTerraform, type TerraformToolchain } from '../../helpers/terraform';
import { REPO } from '../../helpers/workspace';
import { CLEAN_ENV, Daemons, must, run, sleep, waitFor } from '../../e2e/lib/run';
import { randomSecret, TestPki, writeSecretStore } from '../../e2e/lib/pki';
import { VpnClient } from '../../e2e/lib/vpn-client';
import { loadFleet } from '../../../contract/load';
import type { TenantModel } from '../../../contract/model';
import { contains, isCidr, parseCidr, type Cidr } from '../../../lib/cidr';
import { GatewayHost } from '../lib/gateway-host';

const found = findTerraform();
if ('missing' in found) throw new Error(`${found.missing}: the deploy tests need terraform and its provider mirror`);
const tf: TerraformToolchain = found;
const ACCOUNT = '111122223333';
const REGION = 'ap-northeast-1';
const TENANT = 'sakura-trading';

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'ras-deploy-'));
const contracts = join(dir, 'contracts');
const outdir = join(dir, 'cdktf.out');
const stack = (name: string) => join(outdir, 'stacks', name);
export const timings: Record<string, number> = {};
const daemons = new Daemons();
/** The host's side of the link to the gateway: an address of the fleet's operations CIDR (10.255.0.0/24). */
const OPERATIONS_ADDRESS = '10.255.0.10';
const host = new GatewayHost(join(dir, 'gateway'), daemons, OPERATIONS_ADDRESS);
const opsKey = join(dir, 'ops', 'id_ed25519');
const secrets = join(dir, 'secrets');
const ALICE = 'alice@sakura-trading.example';
let pki: TestPki;

async function terraformIn(cwd: string, args: string[]): Promise<execa.ExecaReturnValue> {
  return execa(tf.binary, args, {
    cwd,
    reject: false,
    env: toolEnv(),
  });
}

async function ok(cwd: string, args: string[]): Promise<string> {
  const r = await terraformIn(cwd, [...args, '-no-color']);
  if (r.exitCode !== 0) throw new Error(`terraform ${args.join(' ')} in ${cwd} failed (${r.exitCode}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  return r.stdout;
}

function aws(script: string): string {
  return execFileSync('python3', ['-c', `import boto3, json\nkw = dict(region_name="${REGION}", endpoint_url="${emulator.endpoint}", verify="${emulator.env.AWS_CA_BUNDLE}")\n${script}`], {
    encoding: 'utf8',
    env: { ...process.env, ...emulator.env },
  });
}

function toolEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...emulator.env,
    TF_CLI_CONFIG_FILE: tf.cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    PATH: `${dirname(tf.binary)}:${process.env.PATH}`,
    // The provisioning engineer's own SSH settings: the operations key, a known_hosts of
    // this run's own (the host's is not touched).
    ANSIBLE_PRIVATE_KEY_FILE: opsKey,
    ANSIBLE_SSH_EXTRA_ARGS: `-o UserKnownHostsFile=${join(dir, 'ops', 'known_hosts')}`,
  };
}

/** A copy of the synthesized output as it stands (without Terraform's working files), for plan review's base side. */
function snapshot(name: string): string {
  const copy = join(dir, 'sides', name, 'cdktf.out');
  cpSync(outdir, copy, {
    recursive: true,
    filter: (src) => !['.terraform', 'tfplan', '.terraform.lock.hcl'].includes(basename(src)),
  });
  return copy;
}

interface ReviewedPlan {
  readonly exit: number;
  readonly stderr: string;
  readonly review?: {
    risky: boolean;
    tenants: Array<{
      tenant: string;
      stack: string;
      source: string;
      counts: Record<string, number>;
      risks: Array<{ code: string; address?: string }>;
      changes: Array<{ address: string; action: string }>;
      serviceImpact: string[];
    }>;
  };
  readonly resources: number;
}

/** Saves the real plan as `tfplan` and has `ras plan-review --plan` judge it against `base` (the output before the change). */
async function reviewedPlan(tenantDir: string, base: string): Promise<ReviewedPlan> {
  await ok(tenantDir, ['plan', '-out=tfplan', '-input=false']);
  const planFile = join(dir, 'plans', `${TENANT}-${Date.now()}.json`);
  mkdirSync(dirname(planFile), { recursive: true });
  writeFileSync(planFile, await ok(tenantDir, ['show', '-json', 'tfplan']));
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {
    resource_changes?: Array<{ change: { actions: string[] } }>;
  };
  const r = await ras(['plan-review', '--base', base, '--head', outdir, '--plan', `${TENANT}=${planFile}`, '--format', 'json', '--quiet'], dir);
  const resources = (plan.resource_changes ?? []).filter((c) => c.change.actions.includes('create')).length;
  return {
    exit: r.exitCode,
    stderr: r.stderr,
    review: r.exitCode === 2 ? undefined : JSON.parse(r.stdout),
    resources,
  };
}

/** The tenant's review, failing with plan-review's own words when it could not review. */
function reviewed(plan: ReviewedPlan): NonNullable<ReviewedPlan['review']>['tenants'][number] {
  if (plan.review === undefined) throw new Error(`plan-review failed (${plan.exit}): ${plan.stderr}`);
  expect(plan.review.tenants.map((t) => t.tenant)).toEqual([TENANT]);
  expect(plan.review.tenants[0].source).toBe('terraform-plan');
  return plan.review.tenants[0];
}

async function expectNoChanges(tenantDir: string): Promise<void> {
  const plan = await terraformIn(tenantDir, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
  expect({
    exit: plan.exitCode,
    out: plan.exitCode === 0 ? '' : plan.stdout.slice(-4000) + plan.stderr,
  }).toEqual({ exit: 0, out: '' });
}

/**
 * The playbook runs in a Terraform apply's output: each local-exec of the hand-off, with the play
 * recap the playbook printed for the gateway.
 */
function handOffRuns(applyOutput: string): Array<{ ok: number; changed: number; unreachable: number; failed: number }> {
  // Terraform prints the resource's address; the cdktf CLI adds its construct path in parentheses.
  const starts = applyOutput.match(/terraform_data\.\S+(?: \([^)]*\))?: Provisioning with 'local-exec'/g) ?? [];
  const recaps = [...applyOutput.matchAll(new RegExp(`${TENANT}-gateway\\s*: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)`, 'g'))].map((m) => ({
    ok: Number(m[1]),
    changed: Number(m[2]),
    unreachable: Number(m[3]),
    failed: Number(m[4]),
  }));
  expect(recaps.length).toBe(starts.length);
  return recaps;
}

/** Seconds Terraform reports for the hand-off ("terraform_data.X: Creation complete after 3m2s"). */
function handOffSeconds(applyOutput: string): number {
  const m = /terraform_data\.\S+(?: \([^)]*\))?: Creation complete after (?:(\d+)m)?(\d+)s/.exec(applyOutput);
  return m === null ? NaN : Number(m[1] ?? 0) * 60 + Number(m[2]);
}

/**
 * What the emulator's EC2 does when the instance is made, played by the harness: as soon as the
 * gateway instance exists, its first boot (the user data it was given) and its sshd at the
 * private address it was given. Runs beside the deploy; resolves with the address.
 */
async function bootWhenMade(deadlineMs: number, stop: { done: boolean }): Promise<string | undefined> {
  while (!stop.done && Date.now() < deadlineMs) {
    const found = JSON.parse(
      aws(`
ec2 = boto3.client("ec2", **kw)
import base64
found = [i for r in ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["ras-prod-${TENANT}-gateway"]}])["Reservations"] for i in r["Instances"] if i.get("PrivateIpAddress")]
if found:
    data = ec2.describe_instance_attribute(InstanceId=found[0]["InstanceId"], Attribute="userData")["UserData"].get("Value", "")
    print(json.dumps({"address": found[0]["PrivateIpAddress"], "userData": base64.b64decode(data).decode()}))
else:
    print("null")`)
    ) as { address: string; userData: string } | null;
    if (found !== null) {
      host.firstBoot(found.userData);
      await host.boot(found.address, join(dir, 'logs', 'gateway-sshd.log'));
      return found.address;
    }
    await sleep(500);
  }
  return undefined;
}

/**
 * The gateway's secrets, in a `file` secret store of this run (fleet.yaml's secretStore is set to
 * it). Not the emulator's Secrets Manager: the hand-off's `amazon.aws.aws_secret` lookups run in
 * Debian's Python, whose botocore (1.29) cannot be pointed at an emulator by the environment
 * (AWS_ENDPOINT_URL came with 1.31); against AWS itself they need only python3-boto3 (README, Deploy).
 */
function storeSecrets(): void {
  pki = new TestPki(join(dir, 'pki'));
  const gateway = pki.issue('gateway', 'vpn.sakura-trading.test', ['serverAuth', 'ikeIntermediate']);
  const contract = parseDocument(readFileSync(join(contracts, 'tenants', `${TENANT}.yaml`), 'utf8')).toJS() as { accessControl: { userGroups: Array<{ members: string[] }> } };
  const passwords = Object.fromEntries(contract.accessControl.userGroups.flatMap((g) => g.members).map((m) => [m, randomSecret()]));
  writeSecretStore(join(secrets, TENANT), pki, gateway, passwords, randomSecret());
}

function gatewayInstanceId(): string {
  return aws(
    `print([i for r in boto3.client("ec2", **kw).describe_instances(Filters=[{"Name": "tag:Name", "Values": ["ras-prod-${TENANT}-gateway"]}, {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"] for i in r["Instances"]][0]["InstanceId"])`
  ).trim();
}

function gatewayAddress(): string {
  return aws(
    `print([i for r in boto3.client("ec2", **kw).describe_instances(Filters=[{"Name": "tag:Name", "Values": ["ras-prod-${TENANT}-gateway"]}, {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"] for i in r["Instances"]][0]["PrivateIpAddress"])`
  ).trim();
}

/** Sends one contract event through `ras contract apply` (which synthesizes the tenant), then adapts the stack for the emulator. */
async function contractEvent(event: object): Promise<void> {
  const file = join(dir, 'events', `${(event as { id: string }).id}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(event));
  const r = await ras(['contract', 'apply', file, ...contractOptions()], dir);
  expect({ exit: r.exitCode, err: r.stderr }).toEqual({ exit: 0, err: '' });
  adaptForEmulator(join(stack(TENANT), 'cdk.tf.json'), tf.awsVersion);
  await ok(stack(TENANT), ['init', '-input=false']);
}

function contractOptions(): string[] {
  return ['--fleet', join(contracts, 'fleet.yaml'), '--tenants', join(contracts, 'tenants'), '--state', join(dir, 'state'), '--outdir', outdir];
}

function envelope(id: string, version: number, kind: string, payload: object): object {
  return {
    id,
    tenant: TENANT,
    version,
    occurredAt: '2026-11-30T10:00:00+09:00',
    kind,
    payload,
  };
}

beforeAll(async () => {
  emulator = await startEmulator(ACCOUNT);
  // The fleet settings of an account where nothing exists yet: no ids of what the fleet stack makes,
  // a stock image of the emulator for the gateway.
  mkdirSync(join(contracts, 'tenants'), { recursive: true });
  mkdirSync(join(contracts, 'none'));
  const image = aws('print(boto3.client("ec2", **kw).describe_images(Owners=["amazon"])["Images"][0]["ImageId"])').trim();
  const made = ['tgw-0a1b2c3d4e5f60718', 'tgw-attach-0f1e2d3c4b5a69788', 'tgw-attach-0a9b8c7d6e5f40312', `arn:aws:sns:${REGION}:${ACCOUNT}:ras-operations`];
  const fleet = readFileSync(join(REPO, 'fleet.yaml'), 'utf8')
    .split('\n')
    .filter((line) => !made.some((id) => line.endsWith(`: ${id}`)))
    .join('\n')
    .replace('ami-0c0ffee0123456789', image);
  // The operations account's key: this run's own, in place of the example key.
  mkdirSync(dirname(opsKey), { recursive: true });
  must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'ras-deploy-test', '-f', opsKey]);
  const opsPublicKey = readFileSync(`${opsKey}.pub`, 'utf8').trim();
  const withKey = fleet
    .replace(/^( +- )ssh-ed25519 \S+ ops-example$/m, `$1${opsPublicKey}`)
    .replace(/^secretStore:\n( {2}.*\n)+/m, `secretStore:\n  kind: file\n  pathPrefix: ${secrets}\n`);
  expect(withKey).toContain(opsPublicKey);
  expect(withKey).toContain(`pathPrefix: ${secrets}\n`);
  writeFileSync(join(contracts, 'fleet.yaml'), withKey);
  // Without closed mobile access: its carrier attachment is made with the carrier, outside this
  // account, so the emulator has none (a route to its id is stored as a blackhole and every plan
  // replaces it), and moto reports the carrier interface's security groups otherwise than it was
  // given them. The carrier path is judged on synthesized output and offline plans (README).
  const contract = parseDocument(readFileSync(join(REPO, 'tenants', `${TENANT}.yaml`), 'utf8'));
  contract.deleteIn(['gateway', 'closedMobile']);
  writeFileSync(join(contracts, 'tenants', `${TENANT}.yaml`), String(contract));
  // The folder a provisioning engineer runs cdktf in (cdktf.json beside cdktf.out/).
  cpSync(join(REPO, 'cdktf.json'), join(dir, 'cdktf.json'));
  // The hand-off's playbook paths are relative to the stack folder (../../../ansible/): the
  // product's ansible/ beside cdktf.out/, as in the provisioning engineer's checkout.
  symlinkSync(join(REPO, 'ansible'), join(dir, 'ansible'));
  mkdirSync(join(dir, 'logs'));
  storeSecrets();
  host.prepareImage();
}, 900_000);

afterAll(async () => {
  await daemons.stopAll();
  const problems = host.destroy();
  await emulator?.stop();
  const logs = join(REPO, 'test-results', 'deploy-logs');
  rmSync(logs, { recursive: true, force: true });
  if (existsSync(join(dir, 'logs'))) cpSync(join(dir, 'logs'), logs, { recursive: true });
  if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(tf.cliConfig), { recursive: true, force: true });
  if (problems.length > 0) throw new Error(`cleanup problems:\n${problems.join('\n')}`);
}, 120_000);

test('bootstrap: the fleet stack applies on an empty account, then keeps its state in the bucket it made', async () => {
  // A tenant in a region without recorded fleet outputs is refused, so the fleet comes first.
  const refused = await ras(['validate', '--fleet', join(contracts, 'fleet.yaml'), '--tenants', join(contracts, 'tenants')], dir);
  expect(refused.stderr).toContain('RAS103');
  synthTenants({
    paths: {
      fleetFile: join(contracts, 'fleet.yaml'),
      tenantsDir: join(contracts, 'none'),
    },
    outdir,
  });
  const fleetDir = stack(`fleet_${REGION}`);
  adaptForEmulator(join(fleetDir, 'cdk.tf.json'), tf.awsVersion);
  writeFileSync(
    join(fleetDir, 'backend_override.tf.json'),
    JSON.stringify({
      terraform: { backend: { local: { path: 'bootstrap.tfstate' } } },
    })
  );
  await ok(fleetDir, ['init', '-input=false']);
  const started = Date.now();
  await ok(fleetDir, ['apply', '-auto-approve', '-input=false']);
  timings.fleetApplySeconds = (Date.now() - started) / 1000;
  rmSync(join(fleetDir, 'backend_override.tf.json'));
  await ok(fleetDir, ['init', '-migrate-state', '-force-copy', '-input=false']);
  const keys = aws(`print(json.dumps([o["Key"] for o in boto3.client("s3", **kw).list_objects_v2(Bucket="ras-prod-terraform-state")["Contents"]]))`);
  expect(JSON.parse(keys)).toContain(`fleet/${REGION}/terraform.tfstate`);
  const gateway = JSON.parse(aws('print(json.dumps(boto3.client("ec2", **kw).describe_transit_gateways()["TransitGateways"][0]["Options"]))'));
  expect(gateway).toMatchObject({
    DefaultRouteTableAssociation: 'disable',
    DefaultRouteTablePropagation: 'disable',
  });
  mkdirSync(join(contracts, 'fleet-outputs'));
  writeFileSync(join(contracts, 'fleet-outputs', `${REGION}.json`), await ok(fleetDir, ['output', '-json']));
  expect((await terraformIn(fleetDir, ['plan', '-detailed-exitcode', '-input=false', '-no-color'])).exitCode).toBe(0);
}, 600_000);

test('cdktf deploy applies the tenant with the fleet outputs; a second plan shows no changes; destroying it is refused', async () => {
  const fleetOnly = snapshot('fleet-only');
  synthTenants({
    paths: {
      fleetFile: join(contracts, 'fleet.yaml'),
      tenantsDir: join(contracts, 'tenants'),
    },
    outdir,
  });
  const tenantDir = stack(TENANT);
  const config = JSON.parse(readFileSync(join(tenantDir, 'cdk.tf.json'), 'utf8'));
  const outputs = JSON.parse(readFileSync(join(contracts, 'fleet-outputs', `${REGION}.json`), 'utf8'));
  expect(JSON.stringify(config)).toContain(outputs.transitGatewayId.value);
  adaptForEmulator(join(tenantDir, 'cdk.tf.json'), tf.awsVersion);
  // What the deploy will create, judged by plan review against the fleet-only output (the base
  // of the fleet's first tenant): the tenant's stack is added, every resource of the real plan a
  // creation, the service starts.
  await ok(tenantDir, ['init', '-input=false']);
  const created = await reviewedPlan(tenantDir, fleetOnly);
  expect(created.exit).toBeLessThan(2);
  const creation = reviewed(created);
  expect(creation.stack).toBe('added');
  expect(creation.serviceImpact).toContain('service-started');
  expect([...new Set(creation.changes.map((c) => c.action))]).toEqual(['add']);
  expect(creation.changes.length).toBe(created.resources);
  rmSync(join(tenantDir, 'tfplan'));

  // The provisioning engineer's command, on the output prepared above (synthesized, then adapted).
  const started = Date.now();
  const deploying = execa(join(REPO, 'node_modules', '.bin', 'cdktf'), ['deploy', TENANT, '--skip-synth', '--auto-approve', '--skip-provider-lock', '--no-color'], {
    cwd: dir,
    reject: false,
    env: {
      ...toolEnv(),
      CI: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
      TERRAFORM_BINARY_NAME: tf.binary,
    },
    all: true,
  });
  const stop = { done: false };
  void deploying.finally(() => (stop.done = true));
  const booted = await bootWhenMade(Date.now() + 600_000, stop).catch(async (e: unknown) => {
    // No apply may outlive a failed boot: it would hold the state lock for the next steps.
    deploying.kill('SIGINT');
    await deploying.catch(() => undefined);
    throw e;
  });
  const deploy = await deploying;
  timings.tenantDeploySeconds = (Date.now() - started) / 1000;
  timings.handOffSeconds = handOffSeconds(deploy.all ?? '');
  writeFileSync(join(dir, 'logs', 'deploy.log'), deploy.all ?? '');
  process.stderr.write(`deploy timings (s): ${JSON.stringify(timings)}\n`);
  expect({
    exit: deploy.exitCode,
    tail: deploy.exitCode === 0 ? '' : (deploy.all ?? '').slice(-4000),
  }).toEqual({ exit: 0, tail: '' });
  expect(deploy.all).toMatch(new RegExp(`Apply complete! Resources: ${created.resources} added, 0 changed, 0 destroyed`));
  await expectNoChanges(tenantDir);
  // The hand-off ran once and converged the gateway at the address the emulator gave the instance,
  // over SSH as the operations account (the gateway's sshd saw the login from the operations network).
  expect(booted).toBe(gatewayAddress());
  expect(handOffRuns(deploy.all ?? '')).toEqual([expect.objectContaining({ unreachable: 0, failed: 0 })]);
  expect(readFileSync(join(dir, 'logs', 'gateway-sshd.log'), 'utf8')).toMatch(new RegExp(`Accepted publickey for rasops from ${OPERATIONS_ADDRESS.replace(/\./g, '\\.')} `));
  // State and lock file live in the emulator's state bucket.
  const keys = aws(`print(json.dumps([o["Key"] for o in boto3.client("s3", **kw).list_objects_v2(Bucket="ras-prod-terraform-state")["Contents"]]))`);
  expect(JSON.parse(keys)).toContain(`tenants/${TENANT}/terraform.tfstate`);
  // An active tenant's key and log archive refuse a destroy (prevent_destroy): only termination lifts it.
  const destroy = await terraformIn(tenantDir, ['plan', '-destroy', '-input=false', '-no-color']);
  expect(destroy.exitCode).toBe(1);
  expect(destroy.stderr).toMatch(/Resource aws_kms_key\.\S+ has\s+lifecycle\.prevent_destroy set/);
  expect(destroy.stderr).toMatch(/Resource aws_s3_bucket\.\S+ has\s+lifecycle\.prevent_destroy set/);
}, 900_000);

test('a client brings a tunnel up through the gateway the hand-off configured', async () => {
  const address = gatewayAddress();
  // Harness only: this kernel has no ESP, so charon uses user-space ESP (kernel-libipsec), as in the e2e.
  must(['chroot', host.rootfs.dir, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'libcharon-extra-plugins'], {
    env: { ...CLEAN_ENV, DEBIAN_FRONTEND: 'noninteractive' },
    timeoutMs: 600_000,
  });
  writeFileSync(host.rootfs.path('etc/strongswan.d/zz-deploy-harness.conf'), 'charon {\n  plugins {\n    kernel-libipsec {\n      load = yes\n    }\n  }\n}\n');
  const tenant = loadFleet({ fleetFile: join(contracts, 'fleet.yaml'), tenantsDir: join(contracts, 'tenants') }).tenants.find((t) => t.id === TENANT) as TenantModel;
  expect(tenant.network.customerCidrs.length).toBeGreaterThan(0);
  host.addLocalAddresses(tenant.network.customerCidrs);
  // What the VM's boot starts from the converged files: the firewall, then the IKE daemon.
  must(host.inNs(['nft', '--file', '/etc/nftables.conf']));
  daemons.start('gateway charon', host.inNs(['/usr/sbin/charon-systemd']), join(dir, 'logs', 'gateway-charon.log'));
  await waitFor('gateway vici socket', 15_000, () => (existsSync(host.rootfs.path('run/charon.vici')) ? true : undefined));
  must(host.inNs(['swanctl', '--load-all', '--noprompt']));

  const alice = new VpnClient(host.addClient('alice', '198.51.100.11'), join(dir, 'clients'), address, pki.caCert);
  alice.start(daemons);
  await alice.ready();
  const cert = pki.client(ALICE);
  alice.load(
    [{ name: 'macos', version: 2, proposals: 'aes256-sha256-modp2048, aes256-sha256-ecp256', espProposals: 'aes256-sha256', local: ['auth = pubkey', `id = ${ALICE}`, `certs = ${basename(cert.cert)}`], remoteAuth: 'pubkey', child: { mode: 'tunnel', remoteTs: '0.0.0.0/0' }, vip: true }],
    [],
    { certs: [cert.cert], keys: [cert.key] },
  );
  const up = alice.initiate('macos');
  expect({ status: up.status, out: up.status === 0 ? '' : (up.stdout + up.stderr).slice(-3000) }).toEqual({ status: 0, out: '' });
  // Leased from the contract's client pool, by the gateway at the instance's address.
  const pool = parseCidr(tenant.contract.gateway.clientPool) as Cidr;
  const leased = parseCidr(`${alice.virtualIp()}/32`);
  expect(isCidr(leased) && contains(pool, leased)).toBe(true);
  expect(alice.listSas()).toContain(`@ ${address}[4500]`);
  expect(run(host.inNs(['swanctl', '--list-sas', '--noblock'])).stdout).toContain(`'${ALICE}'`);
  // The hand-off pinned the gateway's host key under the instance's id, not its address.
  const knownHosts = join(dir, 'ops', 'known_hosts');
  const instance = gatewayInstanceId();
  expect(run(['ssh-keygen', '-F', instance, '-f', knownHosts]).status).toBe(0);
  expect(run(['ssh-keygen', '-F', address, '-f', knownHosts]).status).toBe(1);
  // The firewall the playbook wrote still admits the operations network's SSH (the next hand-off's
  // path), and the key pinned for this instance is the one it presents.
  const ssh = run(['ssh', '-i', opsKey, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', `HostKeyAlias=${instance}`, `rasops@${address}`, 'true'], { timeoutMs: 30_000 });
  expect({ status: ssh.status, err: ssh.stderr }).toEqual({ status: 0, err: '' });
  alice.terminate('macos');
}, 600_000);

test('ras drift: nothing after the apply; a port opened and a lifecycle rule shortened behind Terraform are reported with their controls', async () => {
  const tenantDir = stack(TENANT);
  const states = join(dir, 'states');
  mkdirSync(states);
  const snapshot = async () => {
    await ok(tenantDir, ['apply', '-refresh-only', '-auto-approve', '-input=false']);
    writeFileSync(join(states, `${TENANT}.json`), await ok(tenantDir, ['show', '-json']));
    return ras(['drift', '--states', states, '--outdir', outdir, '--tenant', TENANT], REPO);
  };
  const clean = await snapshot();
  expect({
    exit: clean.exitCode,
    out: clean.stdout,
    err: clean.stderr,
  }).toEqual({
    exit: 0,
    out: expect.stringContaining(`${TENANT}  NO DRIFT`),
    err: '',
  });

  aws(`
ec2 = boto3.client("ec2", **kw)
group = [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "ras-prod-${TENANT}-gateway"][0]
ec2.authorize_security_group_ingress(GroupId=group["GroupId"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
s3 = boto3.client("s3", **kw)
rules = s3.get_bucket_lifecycle_configuration(Bucket="ras-prod-${TENANT}-logs")["Rules"]
for r in rules:
    if r["ID"] == "vpn-connection-retention":
        r["Expiration"]["Days"] = 30
s3.put_bucket_lifecycle_configuration(Bucket="ras-prod-${TENANT}-logs", LifecycleConfiguration={"Rules": rules})
`);
  const drifted = await snapshot();
  process.stderr.write(drifted.stdout);
  expect(drifted.exitCode).toBe(1);
  expect(drifted.stdout).toContain(`${TENANT}  DRIFT`);
  expect(drifted.stdout).toMatch(/differs {2}aws_security_group\.\S+ {2}ingress\[\d+\]\n +intended: no such rule\n +deployed: tcp 22-22 from 0\.0\.0\.0\/0/);
  expect(drifted.stdout).toMatch(/differs {2}aws_s3_bucket_lifecycle_configuration\.\S+ {2}rule\[\d+\]\.expiration\[0\]\.days\n +intended: 90\n +deployed: 30/);
  expect(drifted.stdout).toMatch(/FAIL \S+ {2}\[control [^\]]*\]/);
  // Terraform puts back what it owns; the next steps start from the intent again.
  await ok(tenantDir, ['apply', '-auto-approve', '-input=false']);
  await expectNoChanges(tenantDir);
}, 600_000);

test('a contract change that renders no new gateway variables updates in place and does not re-run the playbook', async () => {
  const tenantDir = stack(TENANT);
  const base = snapshot('before-labels');
  await contractEvent(
    envelope('crm-deploy-0001', 1, 'changed', {
      labels: {
        'RAM-0001001': '本社リモートアクセス',
        'RAG-0001001': '大阪ゲートウェイ',
      },
    })
  );
  const plan = await reviewedPlan(tenantDir, base);
  const review = reviewed(plan);
  expect({
    exit: plan.exit,
    risky: plan.review?.risky,
    risks: review.risks,
  }).toEqual({ exit: 0, risky: false, risks: [] });
  expect(review.counts).toMatchObject({ add: 0, destroy: 0, replace: 0 });
  expect(review.counts.update).toBeGreaterThan(0);
  expect(review.changes.every((c) => c.action === 'update')).toBe(true);
  const applied = await ok(tenantDir, ['apply', '-input=false', 'tfplan']);
  await expectNoChanges(tenantDir);
  expect(handOffRuns(applied)).toEqual([]);
  const tags = aws(
    `print(json.dumps({t["Key"]: t["Value"] for t in [i for r in boto3.client("ec2", **kw).describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] == "running"][0]["Tags"]}))`
  );
  expect(JSON.parse(tags)).toMatchObject({
    'ras:label:RAG-0001001': '大阪ゲートウェイ',
  });
}, 600_000);

test('a new user group changes the gateway variables: only the hand-off is replaced, and the playbook runs again', async () => {
  const tenantDir = stack(TENANT);
  const base = snapshot('before-access');
  const contract = readFileSync(join(contracts, 'tenants', `${TENANT}.yaml`), 'utf8');
  expect(contract).toContain('contractVersion: 1');
  const accessControl = {
    userGroups: [
      {
        name: 'engineering',
        members: ['alice@sakura-trading.example', 'bob@sakura-trading.example'],
      },
      { name: 'sales', members: ['carol@sakura-trading.example'] },
      { name: 'support', members: ['dave@sakura-trading.example'] },
    ],
    hostGroups: [
      { name: 'intranet-web', cidrs: ['172.16.10.0/24'] },
      { name: 'dev-servers', cidrs: ['172.16.20.0/24'] },
    ],
    serviceGroups: [
      { name: 'web', services: [{ protocol: 'tcp', ports: [80, 443] }] },
      { name: 'ssh', services: [{ protocol: 'tcp', ports: [22] }] },
    ],
    rules: [
      {
        userGroup: 'engineering',
        hostGroup: 'intranet-web',
        serviceGroup: 'web',
      },
      {
        userGroup: 'engineering',
        hostGroup: 'dev-servers',
        serviceGroup: 'ssh',
      },
      { userGroup: 'sales', hostGroup: 'intranet-web', serviceGroup: 'web' },
      { userGroup: 'support', hostGroup: 'intranet-web', serviceGroup: 'web' },
    ],
  };
  await contractEvent(envelope('crm-deploy-0002', 2, 'changed', { accessControl }));
  const plan = await reviewedPlan(tenantDir, base);
  const review = reviewed(plan);
  expect({
    exit: plan.exit,
    risky: plan.review?.risky,
    risks: review.risks,
  }).toEqual({ exit: 0, risky: false, risks: [] });
  expect(review.counts).toMatchObject({ add: 0, destroy: 0, replace: 1 });
  expect(review.changes.filter((c) => c.action === 'replace').map((c) => c.address)).toEqual([expect.stringMatching(/^terraform_data\./)]);
  expect(review.serviceImpact).toContain('access-changed');
  expect(host.rootfs.read('etc/ras/user-groups')).not.toMatch(/\bsupport\b/);
  const applied = await ok(tenantDir, ['apply', '-input=false', 'tfplan']);
  writeFileSync(join(dir, 'logs', 'hand-off-rerun.log'), applied);
  timings.handOffRerunSeconds = handOffSeconds(applied);
  await expectNoChanges(tenantDir);
  // The playbook ran again over SSH, and the gateway now knows the new group.
  const runs = handOffRuns(applied);
  expect(runs).toEqual([expect.objectContaining({ unreachable: 0, failed: 0 })]);
  expect(runs[0].changed).toBeGreaterThan(0);
  expect(host.rootfs.read('etc/ras/user-groups')).toMatch(/\bsupport\b/);
}, 600_000);

const terminationDate = todayInJapan(new Date());

test('termination: plan review flags the destroyed gateway; the apply removes gateway, network and attachment and keeps key and archive, which now erases everything', async () => {
  const tenantDir = stack(TENANT);
  const base = snapshot('before-termination');
  await contractEvent(envelope('crm-deploy-0003', 3, 'terminated', { terminationDate }));
  const plan = await reviewedPlan(tenantDir, base);
  const review = reviewed(plan);
  expect({ exit: plan.exit, risky: plan.review?.risky }).toEqual({
    exit: 1,
    risky: true,
  });
  expect(review.risks.map((r) => r.code)).toContain('gateway-destroyed');
  expect(review.risks.map((r) => r.code)).not.toContain('log-archive-destroyed');
  expect(review.serviceImpact).toContain('service-stopped');
  const deleted = review.changes.filter((c) => c.action === 'destroy').map((c) => c.address.split('.')[0]);
  expect(deleted).toEqual(expect.arrayContaining(['aws_instance', 'aws_vpc', 'aws_ec2_transit_gateway_vpc_attachment', 'terraform_data']));
  expect(deleted).not.toContain('aws_kms_key');
  expect(deleted).not.toContain('aws_s3_bucket');
  await ok(tenantDir, ['apply', '-input=false', 'tfplan']);
  await expectNoChanges(tenantDir);

  const left = JSON.parse(
    aws(`
ec2 = boto3.client("ec2", **kw)
print(json.dumps({
  "instances": [i["State"]["Name"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]],
  "vpcs": [v["CidrBlock"] for v in ec2.describe_vpcs()["Vpcs"]],
  "attachments": [a["State"] for a in ec2.describe_transit_gateway_vpc_attachments()["TransitGatewayVpcAttachments"] if {"Key": "ras:tenant", "Value": "${TENANT}"} in a.get("Tags", [])],
}))`)
  );
  expect(left.instances).toEqual(['terminated']);
  expect(left.vpcs).not.toContain('10.64.0.0/24');
  // The tenant's own attachment (the fleet's edge attachments stay).
  expect(left.attachments).toEqual(['deleted']);
  const kept = JSON.parse(
    aws(`
s3 = boto3.client("s3", **kw)
kms = boto3.client("kms", **kw)
alias = [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/ras-prod/${TENANT}"][0]
print(json.dumps({
  "key": kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]["KeyState"],
  "rules": {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket="ras-prod-${TENANT}-logs")["Rules"]},
}, default=str))`)
  );
  expect(kept.key).toBe('Enabled');
  // Everything expires before the 45-day deadline (CLD8.1.5): from a day after termination, before the window ends.
  const erase = kept.rules['erase-after-termination'];
  expect(erase).toMatchObject({ Status: 'Enabled', Filter: { Prefix: '' } });
  const from = String(erase.Expiration.Date).slice(0, 10);
  expect(from > terminationDate && from < windowEnd(terminationDate)).toBe(true);
}, 600_000);

test('purge: refused inside the 45-day window; after it the kept stack is destroyed, key and archive included', async () => {
  const purge = envelope('crm-deploy-0004', 4, 'purged', {});
  const file = join(dir, 'events', 'purge.json');
  writeFileSync(file, JSON.stringify(purge));
  const refused = await ras(['contract', 'apply', file, ...contractOptions()], dir);
  expect({ exit: refused.exitCode, err: refused.stderr }).toEqual({
    exit: 3,
    err: expect.stringContaining('refused (retention-window-open)'),
  });
  expect(existsSync(join(contracts, 'tenants', `${TENANT}.yaml`))).toBe(true);

  // The same apply path, on the day the window ends (contract dates are JST).
  const day = windowEnd(terminationDate);
  const result = await applyEventText(JSON.stringify(purge), {
    paths: {
      fleetFile: join(contracts, 'fleet.yaml'),
      tenantsDir: join(contracts, 'tenants'),
    },
    stateDir: join(dir, 'state'),
    outdir,
    via: 'cli',
    now: () => new Date(`${day}T00:00:00+09:00`),
  });
  expect(result).toMatchObject({
    outcome: 'applied',
    kind: 'purged',
    stack: { action: 'destroy', kept: true },
  });
  const kept = result.stack?.dir as string;
  await ok(kept, ['init', '-input=false']);
  const started = Date.now();
  await ok(kept, ['destroy', '-auto-approve', '-input=false']);
  timings.tenantDestroySeconds = (Date.now() - started) / 1000;
  process.stderr.write(`deploy timings (s): ${JSON.stringify(timings)}\n`);
  const gone = JSON.parse(
    aws(`
s3 = boto3.client("s3", **kw)
kms = boto3.client("kms", **kw)
keys = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in kms.list_keys()["Keys"]]
print(json.dumps({
  "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]],
  "tenantKeys": [k["KeyState"] for k in keys if "${TENANT}" in k.get("Description", "")],
}))`)
  );
  expect(gone.buckets).not.toContain(`ras-prod-${TENANT}-logs`);
  expect(gone.tenantKeys).toEqual(['PendingDeletion']);
}, 600_000);
