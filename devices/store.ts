/**
 * Where device material lives.
 *
 * Secrets (private keys, PKCS#12 bundles and their passwords, .mobileconfig profiles, which embed
 * a PKCS#12) go only under the secret store path, files 0600 in folders 0700:
 *   <secrets>/_fleet/device-root-ca.key          fleet root key (`_` keeps it apart from tenant ids)
 *   <secrets>/<tenant>/device-ca.key             the tenant's device CA key
 *   <secrets>/<tenant>/devices/<device>/<serial>.key | .p12 | .p12-password | .mobileconfig
 *
 * Public records live in the state folder (`state/devices/`):
 *   root-ca.pem, ledgers/<tenant>.json (issued serials), pending/<tenant>.json (journal),
 *   locks/, audit.jsonl, public/<tenant>/{ca-chain.pem,crl.pem,certs/<device>-<serial>.pem}
 *
 * Every path is built from a checked tenant id, device name and hex serial only.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../events/atomic';
import { writeAll } from '../lib/fd';
import { deviceRecordPaths } from '../lib/device-records';
import type { FleetSettings } from '../contract/types';
import { checkDeviceName, checkTenant, DeviceInputError } from './names';

const SERIAL = /^[0-9a-f]{2,40}$/;

function checkSerial(serial: string): string {
  if (!SERIAL.test(serial)) throw new Error(`refusing to build a path from serial ${JSON.stringify(serial)}`);
  return serial;
}

export class DevicePaths {
  constructor(
    public readonly stateDir: string,
    public readonly secretsDir: string,
  ) {}

  public get dir(): string {
    return join(this.stateDir, 'devices');
  }
  public get auditFile(): string {
    return join(this.dir, 'audit.jsonl');
  }
  public get rootCert(): string {
    return join(this.dir, 'root-ca.pem');
  }
  public get rootLock(): string {
    return join(this.dir, 'locks', 'root.lock');
  }
  public get rootKey(): string {
    return join(this.secretsDir, '_fleet', 'device-root-ca.key');
  }
  public ledger(tenant: string): string {
    return deviceRecordPaths(this.stateDir, checkTenant(tenant)).ledger;
  }
  public pending(tenant: string): string {
    return join(this.dir, 'pending', `${checkTenant(tenant)}.json`);
  }
  public lock(tenant: string): string {
    return join(this.dir, 'locks', `tenant-${checkTenant(tenant)}.lock`);
  }
  public publicDir(tenant: string): string {
    return join(this.dir, 'public', checkTenant(tenant));
  }
  /** The public records the gateway configuration reads (lib/device-records.ts). */
  public chain(tenant: string): string {
    return deviceRecordPaths(this.stateDir, checkTenant(tenant)).chain;
  }
  public crl(tenant: string): string {
    return deviceRecordPaths(this.stateDir, checkTenant(tenant)).crl;
  }
  public certFile(tenant: string, device: string, serial: string): string {
    return join(this.publicDir(tenant), 'certs', `${checkDeviceName(device)}-${checkSerial(serial)}.pem`);
  }
  public tenantCaKey(tenant: string): string {
    return join(this.secretsDir, checkTenant(tenant), 'device-ca.key');
  }
  public deviceSecret(tenant: string, device: string, serial: string, ext: 'key' | 'p12' | 'p12-password' | 'mobileconfig'): string {
    return join(this.secretsDir, checkTenant(tenant), 'devices', checkDeviceName(device), `${checkSerial(serial)}.${ext}`);
  }

  public makeDirs(tenant?: string): void {
    for (const sub of ['ledgers', 'pending', 'locks']) mkdirSync(join(this.dir, sub), { recursive: true });
    mkdirSync(join(this.secretsDir, '_fleet'), { recursive: true, mode: 0o700 });
    if (tenant !== undefined) mkdirSync(join(this.publicDir(tenant), 'certs'), { recursive: true });
  }
}

/**
 * The secret store folder: --secrets, else the fleet's secret store when its kind is `file`.
 * For aws-secretsmanager this offline tool refuses: the keys would belong in Secrets Manager under
 * <pathPrefix>/<tenant>/devices/..., and nothing may be written to a local disk in their place.
 */
export function secretsDirOf(fleet: FleetSettings, option: string | undefined): string {
  if (option !== undefined) return option;
  if (fleet.secretStore.kind === 'file') return fleet.secretStore.pathPrefix;
  throw new DeviceInputError(
    `the fleet's secret store is ${fleet.secretStore.kind} (${fleet.secretStore.pathPrefix}): device keys belong in secrets ` +
      `${fleet.secretStore.pathPrefix}/<tenant>/device-ca-key and ${fleet.secretStore.pathPrefix}/<tenant>/devices/<device>/<serial>, ` +
      'which this offline command cannot write; give --secrets DIR (a local secret store folder) to issue locally',
  );
}

/** Creates a secret file, 0600 from the first byte (never via a world-readable temporary file); durable on return. */
export function writeSecret(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(dirname(path));
}

export function removeIfPresent(path: string): void {
  if (existsSync(path)) unlinkSync(path);
}
