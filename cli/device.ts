/**
 * `ras device issue | reissue | suspend | resume | revoke | list | crl | metrics | alert-rules`:
 * thin wrappers over devices/ (see README.md, "Device certificates").
 */
import { existsSync } from 'node:fs';
import { loadFleet } from '../contract/load';
import { writeFileAtomic } from '../events/atomic';
import { LockTimeoutError } from '../events/lock';
import { ContractError } from '../contract/problems';
import type { Curve } from '../devices/ca';
import type { RevokeReason } from '../devices/ledger';
import { readLedger } from '../devices/ledger';
import { renderAlertRules, renderMetrics } from '../devices/metrics';
import { DeviceInputError } from '../devices/names';
import { deviceRecordPaths } from '../lib/device-records';
import { changeStatus, deviceContext, issueDevice, listDevices, resignCrl, type DeviceContext } from '../devices/ops';
import { CONTRACT_OPTIONS, contractPaths, HelpRequest, helpText, parseArgs, single, UsageError, type CommandSpec, type OptionSpec, type ParsedArgs } from './args';

const COMMON = {
  tenant: { type: 'string', value: 'ID', description: 'tenant id (required)' },
  ...CONTRACT_OPTIONS,
  state: { type: 'string', value: 'DIR', description: 'state folder: device ledgers, CRLs, locks, audit (default: $RAS_STATE_DIR or state)' },
  secrets: { type: 'string', value: 'DIR', description: "local secret store folder for keys (default: the fleet's secretStore.pathPrefix when its kind is file)" },
  'lock-timeout': { type: 'string', value: 'MS', description: "how long to wait for the tenant's device lock (default: 30000)" },
} as const satisfies Record<string, OptionSpec>;

const DEVICE = { device: { type: 'string', value: 'NAME', description: 'device name: a-z, 0-9 and -, 2-32 characters (required)' } } as const satisfies Record<string, OptionSpec>;

const ISSUE_OPTIONS = {
  ...DEVICE,
  identity: { type: 'string', value: 'ID', description: "the owner: a member of one of the contract's user groups" },
  curve: { type: 'string', value: 'P-256|P-384', description: 'device key curve (default: P-256)' },
  days: { type: 'string', value: 'N', description: 'validity in days, at most 365 (default: 365)' },
  server: { type: 'string', value: 'HOST', description: 'gateway address for the .mobileconfig (without it no profile is written)' },
  'gateway-id': { type: 'string', value: 'ID', description: "gateway's IKE identity for the .mobileconfig (default: --server)" },
} as const satisfies Record<string, OptionSpec>;

const NOTES = 'exit status: 0 ok, 1 refused, 2 usage error, 4 tenant locked';

export const DEVICE_COMMANDS: Record<string, CommandSpec> = {
  issue: { name: 'device issue', options: { ...ISSUE_OPTIONS, ...COMMON }, notes: `Issues a device certificate, its key (secret store), PKCS#12 and, with --server, a .mobileconfig.\n${NOTES}` },
  reissue: { name: 'device reissue', options: { ...ISSUE_OPTIONS, ...COMMON }, notes: `New key and certificate for an existing device name (also after revoke); the previous certificate is revoked as superseded.\n${NOTES}` },
  suspend: { name: 'device suspend', options: { ...DEVICE, ...COMMON }, notes: `Puts the device's certificate on hold (CRL reason certificateHold).\n${NOTES}` },
  resume: { name: 'device resume', options: { ...DEVICE, ...COMMON }, notes: `Lifts a hold: the certificate leaves the next CRL.\n${NOTES}` },
  revoke: {
    name: 'device revoke',
    options: { ...DEVICE, reason: { type: 'string', value: 'REASON', description: 'keyCompromise, cessationOfOperation (default), superseded or unspecified' }, ...COMMON },
    notes: `Revokes the device's certificate for good (reissue gives the device a new one).\n${NOTES}`,
  },
  list: {
    name: 'device list',
    options: { expiring: { type: 'string', value: 'Nd', description: 'only certificates (not revoked) expiring within N days, e.g. 30d' }, json: { type: 'boolean', description: 'print JSON' }, ...COMMON },
    notes: NOTES,
  },
  crl: {
    name: 'device crl',
    options: { all: { type: 'boolean', description: 'every tenant with device records in --state, instead of --tenant (what the daily timer runs, ops/systemd/)' }, ...COMMON },
    notes: `Re-signs the tenant's CRL (every change does too); run it daily: the CRL is valid 7 days (ops/systemd/ras-device-crl.timer does).\n${NOTES}`,
  },
  metrics: {
    name: 'device metrics',
    options: { out: { type: 'string', value: 'FILE', description: 'write the .prom file here atomically (default: standard output)' }, ...COMMON },
    notes: 'node_exporter textfile metrics: expiry of each device certificate and of the CRL.',
  },
  'alert-rules': {
    name: 'device alert-rules',
    options: { days: { type: 'string', value: 'N', description: 'warn this many days before expiry (default: 30)' } },
    notes: 'Prints the Prometheus alert rules for the device metrics.',
  },
};

export async function runDeviceCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      if (sub === undefined) throw new UsageError(`which subcommand? (${Object.keys(DEVICE_COMMANDS).join(', ')})`);
      throw new HelpRequest(Object.values(DEVICE_COMMANDS).map(helpText).join('\n\n'));
    }
    const spec = DEVICE_COMMANDS[sub];
    if (spec === undefined) throw new UsageError(`unknown subcommand "${sub}"`);
    return await run(sub, parseArgs(rest, spec));
  } catch (e) {
    if (e instanceof HelpRequest) {
      process.stdout.write(`${e.text}\n`);
      return 0;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ras device: ${e.message}\n(ras device ${sub ?? ''} --help lists its options)\n`);
      return 2;
    }
    if (e instanceof LockTimeoutError) {
      process.stderr.write(`ras device: ${e.message}\n`);
      return 4;
    }
    if (e instanceof DeviceInputError || e instanceof ContractError) {
      process.stderr.write(`ras device ${sub}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function required(args: ParsedArgs, name: string): string {
  const v = single(args, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

function intOption(args: ParsedArgs, name: string): number | undefined {
  const v = single(args, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(v)) throw new UsageError(`--${name} must be a whole number`);
  return Number(v);
}

function stateDir(args: ParsedArgs): string {
  return single(args, 'state') ?? process.env.RAS_STATE_DIR ?? 'state';
}

function context(args: ParsedArgs): DeviceContext {
  return deviceContext(contractPaths(args), stateDir(args), required(args, 'tenant'), single(args, 'secrets'), intOption(args, 'lock-timeout'));
}

/**
 * `ras device crl --all`: re-signs the CRL of every tenant with device records, so none lapses
 * (strongSwan refuses every certificate login once its CRL is past nextUpdate). One tenant that
 * fails does not stop the others; the exit status says whether any failed, and which.
 */
async function resignAll(args: ParsedArgs, out: (s: string) => void): Promise<number> {
  if (single(args, 'tenant') !== undefined) throw new UsageError('--all and --tenant exclude each other');
  const tenants = loadFleet(contractPaths(args)).tenants.map((t) => t.id).sort();
  const withRecords = tenants.filter((id) => existsSync(deviceRecordPaths(stateDir(args), id).ledger));
  if (withRecords.length === 0) out(`no tenant has device records in ${stateDir(args)}`);
  const failed: string[] = [];
  for (const id of withRecords) {
    try {
      const ctx = deviceContext(contractPaths(args), stateDir(args), id, single(args, 'secrets'), intOption(args, 'lock-timeout'));
      out(`${id}: CRL ${await resignCrl(ctx)}`);
    } catch (e) {
      failed.push(id);
      process.stderr.write(`ras device crl: ${id}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  if (failed.length > 0) process.stderr.write(`ras device crl: ${failed.length} of ${withRecords.length} tenant(s) not re-signed: ${failed.join(', ')}\n`);
  return failed.length === 0 ? 0 : 1;
}

async function run(sub: string, args: ParsedArgs): Promise<number> {
  if (sub === 'alert-rules') {
    process.stdout.write(renderAlertRules(intOption(args, 'days') ?? 30));
    return 0;
  }
  const out = (s: string): void => void process.stdout.write(`${s}\n`);
  if (sub === 'crl' && args.flags.has('all')) return resignAll(args, out);
  const ctx = context(args);
  switch (sub) {
    case 'issue':
    case 'reissue': {
      const r = await issueDevice(
        ctx,
        {
          device: required(args, 'device'),
          identity: single(args, 'identity'),
          curve: single(args, 'curve') as Curve | undefined,
          days: intOption(args, 'days'),
          server: single(args, 'server'),
          gatewayId: single(args, 'gateway-id'),
        },
        sub === 'reissue',
      );
      out(`${sub}d: ${r.device} (${r.identity}) serial ${r.serial}, valid until ${r.notAfter}`);
      if (r.revokedSerial !== undefined) out(`revoked (superseded): serial ${r.revokedSerial}`);
      out(`certificate: ${r.certFile}`);
      out(`PKCS#12 (secret store): ${r.p12File}, password in ${r.p12PasswordFile}`);
      if (r.mobileconfigFile !== undefined) out(`.mobileconfig (secret store): ${r.mobileconfigFile}`);
      out(`CRL: ${ctx.paths.crl(ctx.tenant.id)}`);
      return 0;
    }
    case 'suspend':
    case 'resume':
    case 'revoke': {
      const reason = single(args, 'reason') ?? 'cessationOfOperation';
      if (!['keyCompromise', 'cessationOfOperation', 'superseded', 'unspecified'].includes(reason)) throw new UsageError(`--reason must be keyCompromise, cessationOfOperation, superseded or unspecified`);
      const c = await changeStatus(ctx, required(args, 'device'), sub, reason as RevokeReason);
      out(`${single(args, 'device')}: serial ${c.serial} is ${c.status}; CRL: ${ctx.paths.crl(ctx.tenant.id)}`);
      return 0;
    }
    case 'list': {
      const expiring = single(args, 'expiring');
      if (expiring !== undefined && !/^[0-9]{1,5}d$/.test(expiring)) throw new UsageError('--expiring takes a number of days, e.g. 30d');
      const rows = listDevices(ctx.paths, ctx.tenant.id, expiring === undefined ? undefined : Number(expiring.slice(0, -1)));
      if (args.flags.has('json')) out(JSON.stringify(rows, null, 2));
      else for (const r of rows) out(`${r.device}\t${r.identity}\t${r.status}\t${r.serial}\t${r.notAfter}\t${r.daysLeft}d`);
      return 0;
    }
    case 'crl':
      out(`CRL: ${await resignCrl(ctx)}`);
      return 0;
    case 'metrics': {
      const text = renderMetrics([readLedger(ctx.paths, ctx.tenant.id)]);
      const file = single(args, 'out');
      if (file === undefined) process.stdout.write(text);
      else writeFileAtomic(file, text);
      return 0;
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}"`);
  }
}
