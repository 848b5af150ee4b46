/**
 * The public records of a tenant's device PKI (`ras device`, devices/) as the gateway
 * configuration reads them: where they live in the state folder, and the few ledger facts the
 * gateway needs. Shared here because devices/ writes them and gateway-config/ (a lower layer)
 * renders them into the gateway's variables; nothing secret is ever read through this module.
 *
 *   <state>/devices/ledgers/<tenant>.json        issued serials and their status
 *   <state>/devices/public/<tenant>/ca-chain.pem  tenant device CA, then the fleet root
 *   <state>/devices/public/<tenant>/crl.pem       the tenant's current CRL
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The gateway variable that carries a tenant's device PKI (absent: the tenant has none). */
export const DEVICE_PKI_VARIABLE = 'strongswan_device_pki';

/**
 * strongSwan checks revocation only while authenticating. A session the gateway's revocation
 * step missed lives at most until charon re-authenticates it: `reauth_time` (RFC 4478 asks the
 * client to re-authenticate; charon deletes the IKE_SA at the latest `over_time`, 10 %, later).
 */
export const DEVICE_REAUTH_TIME = '4h';
export const DEVICE_REAUTH_SECONDS = 4 * 3600;
/** The longest a missed session can last after its certificate is revoked (reauth_time + 10 %). */
export const DEVICE_SESSION_BOUND_SECONDS = Math.round(DEVICE_REAUTH_SECONDS * 1.1);

export interface DeviceRecordPaths {
  readonly ledger: string;
  readonly chain: string;
  readonly crl: string;
}

/** Paths of one tenant's public device records; `tenant` must already be a checked tenant id. */
export function deviceRecordPaths(stateDir: string, tenant: string): DeviceRecordPaths {
  if (!/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(tenant)) throw new Error(`refusing to build a path from tenant id ${JSON.stringify(tenant)}`);
  const dir = join(stateDir, 'devices');
  return {
    ledger: join(dir, 'ledgers', `${tenant}.json`),
    chain: join(dir, 'public', tenant, 'ca-chain.pem'),
    crl: join(dir, 'public', tenant, 'crl.pem'),
  };
}

/** A certificate the gateway must refuse (and whose sessions it must end). */
export interface BlockedCertificate {
  readonly serial: string;
  readonly device: string;
  readonly identity: string;
  readonly status: 'revoked' | 'suspended';
  readonly reason: string;
}

/** What the gateway variables carry of a tenant's device PKI: public material and counts. */
export interface DevicePkiRecords {
  readonly tenantCaPem: string;
  readonly rootCaPem: string;
  readonly crlPem: string;
  readonly crlNumber: number;
  readonly crlNextUpdate: string;
  readonly devices: number;
  readonly active: number;
  readonly suspended: number;
  readonly revoked: number;
  /** Every revoked or suspended certificate not yet expired, by serial. */
  readonly blocked: readonly BlockedCertificate[];
  /** Each device's current certificate unless revoked: the expiry the gateway exports as a metric. */
  readonly certificates: readonly DeviceCertificate[];
}

/** A device's current (active or suspended) certificate and when it expires. */
export interface DeviceCertificate {
  readonly device: string;
  readonly identity: string;
  readonly serial: string;
  readonly status: 'active' | 'suspended';
  readonly notAfter: string;
}

interface LedgerFile {
  readonly version?: unknown;
  readonly crl?: { readonly nextUpdate?: unknown };
  readonly devices?: Record<string, { readonly identity?: unknown; readonly certs?: readonly { serial?: unknown; status?: unknown; notAfter?: unknown; reason?: unknown }[] }>;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/**
 * The tenant's device PKI records, or undefined when the tenant has none (no ledger with a CA
 * and a CRL). A ledger that exists but cannot be read throws: a gateway must not silently lose
 * its CRL.
 */
export function readDevicePkiRecords(stateDir: string, tenant: string, now = Date.now()): DevicePkiRecords | undefined {
  const p = deviceRecordPaths(stateDir, tenant);
  if (!existsSync(p.ledger)) return undefined;
  const ledger = JSON.parse(readFileSync(p.ledger, 'utf8')) as LedgerFile;
  if (!existsSync(p.chain) || !existsSync(p.crl)) {
    if (ledger.crl === undefined) return undefined;
    throw new Error(`${p.ledger} has a CRL but ${p.chain} or ${p.crl} is missing: run ras device crl --tenant ${tenant}`);
  }
  const chain = readFileSync(p.chain, 'utf8').match(PEM_CERT) ?? [];
  if (chain.length !== 2) throw new Error(`${p.chain}: expected the tenant CA and the fleet root, found ${chain.length} certificates`);
  if (typeof ledger.version !== 'number' || typeof ledger.crl?.nextUpdate !== 'string') throw new Error(`${p.ledger}: no CRL version or nextUpdate`);
  const devices = Object.entries(ledger.devices ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const current = devices.map(([, d]) => d.certs?.[d.certs.length - 1]?.status);
  const blocked: BlockedCertificate[] = devices.flatMap(([device, d]) =>
    (d.certs ?? [])
      .filter((c) => (c.status === 'revoked' || c.status === 'suspended') && typeof c.notAfter === 'string' && Date.parse(c.notAfter) > now)
      .map((c) => ({
        serial: String(c.serial),
        device,
        identity: String(d.identity),
        status: c.status as 'revoked' | 'suspended',
        reason: c.status === 'suspended' ? 'certificateHold' : typeof c.reason === 'string' ? c.reason : 'unspecified',
      })),
  );
  const certificates: DeviceCertificate[] = devices.flatMap(([device, d]) => {
    const c = d.certs?.[d.certs.length - 1];
    if (c === undefined || (c.status !== 'active' && c.status !== 'suspended') || typeof c.notAfter !== 'string') return [];
    return [{ device, identity: String(d.identity), serial: String(c.serial), status: c.status, notAfter: c.notAfter }];
  });
  return {
    tenantCaPem: chain[0].endsWith('\n') ? chain[0] : `${chain[0]}\n`,
    rootCaPem: chain[1].endsWith('\n') ? chain[1] : `${chain[1]}\n`,
    crlPem: readFileSync(p.crl, 'utf8'),
    crlNumber: ledger.version,
    crlNextUpdate: ledger.crl.nextUpdate,
    devices: devices.length,
    active: current.filter((s) => s === 'active').length,
    suspended: current.filter((s) => s === 'suspended').length,
    revoked: current.filter((s) => s === 'revoked').length,
    blocked,
    certificates,
  };
}
