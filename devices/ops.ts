/**
 * `ras device` operations: issue, reissue, suspend, resume, revoke, list, crl. Each change runs
 * through ledger.transact (lock, journal, atomic ledger, audit) and re-signs the tenant's CRL.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../events/atomic';
import { acquireLock } from '../events/lock';
import { appendAudit } from '../events/audit';
import { loadFleet, type ContractPaths } from '../contract/load';
import type { TenantModel } from '../contract/model';
import type { FleetSettings } from '../contract/types';
import * as ca from './ca';
import { readLedger, transact, type DeviceRecord, type IssuedCert, type Ledger, type RevokeReason } from './ledger';
import { checkDeviceName, checkHost, checkTenant, DeviceInputError, identityKind } from './names';
import { mobileconfig, newP12Password, pkcs12 } from './profiles';
import { DevicePaths, secretsDirOf, writeSecret } from './store';

const DAY_MS = 86_400_000;

export interface DeviceContext {
  readonly paths: DevicePaths;
  readonly fleet: FleetSettings;
  readonly tenant: TenantModel;
  readonly lockTimeoutMs?: number;
}

export function deviceContext(contract: ContractPaths, stateDir: string, tenantId: string, secretsOption?: string, lockTimeoutMs?: number): DeviceContext {
  checkTenant(tenantId);
  const fleet = loadFleet(contract);
  const tenant = fleet.tenants.find((t) => t.id === tenantId);
  if (tenant === undefined) throw new DeviceInputError(`no contract for tenant ${tenantId}`);
  return { paths: new DevicePaths(stateDir, secretsDirOf(fleet.settings, secretsOption)), fleet: fleet.settings, tenant, lockTimeoutMs };
}

/** Identities of the contract's user groups. */
function contractIdentities(tenant: TenantModel): string[] {
  return tenant.contract.accessControl.userGroups.flatMap((g) => g.members);
}

/** The fleet root: created once (under its own lock), reused after. */
async function fleetRoot(ctx: DeviceContext): Promise<ca.Issuer> {
  const { paths } = ctx;
  paths.makeDirs();
  const lock = await acquireLock(paths.rootLock, { timeoutMs: ctx.lockTimeoutMs ?? 30_000 });
  try {
    if (existsSync(paths.rootCert) && existsSync(paths.rootKey)) {
      const cert = new ca.x509.X509Certificate(readFileSync(paths.rootCert, 'utf8'));
      return { cert, key: await ca.importSigningKey(readFileSync(paths.rootKey, 'utf8'), 'P-384') };
    }
    if (existsSync(paths.rootKey)) throw new Error(`${paths.rootKey} exists without ${paths.rootCert}: restore the root certificate before issuing`);
    const keys = await ca.generateKeyPair('P-384');
    const cert = await ca.createRoot(ctx.fleet.namePrefix, keys, new Date());
    writeSecret(paths.rootKey, await ca.privateKeyPem(keys.privateKey));
    writeFileAtomic(paths.rootCert, ca.certPem(cert));
    appendAudit(paths.auditFile, { at: new Date().toISOString(), outcome: 'applied', kind: 'device-root-created', via: 'cli', allocated: { serial: cert.serialNumber } });
    return { cert, key: keys.privateKey };
  } finally {
    lock.release();
  }
}

async function tenantCaKey(ctx: DeviceContext): Promise<ca.KeyPair> {
  // Created outside the journal on purpose: an undone change leaves it, and the next one reuses it.
  const file = ctx.paths.tenantCaKey(ctx.tenant.id);
  if (!existsSync(file)) writeSecret(file, await ca.privateKeyPem((await ca.generateKeyPair('P-384')).privateKey));
  const pem = readFileSync(file, 'utf8');
  return { privateKey: await ca.importSigningKey(pem, 'P-384'), publicKey: await ca.publicKeyFromPem(pem, 'P-384') };
}

/**
 * The tenant CA certificate for the contract's current identities: certified (again, same key)
 * when there is none or the member list changed, so a removed identity's devices stop verifying.
 */
async function tenantCa(ctx: DeviceContext, ledger: Ledger): Promise<{ issuer: ca.Issuer; ca: Ledger['ca'] }> {
  const identities = contractIdentities(ctx.tenant);
  const digest = ca.constraintsDigest(ctx.fleet.namePrefix, ctx.tenant.id, identities);
  if (ledger.ca !== undefined && ledger.ca.constraintsDigest === digest) {
    return { issuer: { cert: new ca.x509.X509Certificate(ledger.ca.certPem), key: (await tenantCaKey(ctx)).privateKey }, ca: ledger.ca };
  }
  // strongSwan 5.9 ANDs name-constraint subtrees of one type: refuse a CA whose devices no gateway
  // would accept, before anything (not even the CA key) is written.
  const incompatible = ca.charonIncompatibility(ctx.fleet.namePrefix, ctx.tenant.id, identities);
  if (incompatible !== undefined) {
    throw new DeviceInputError(
      `${ctx.tenant.id}: ${incompatible}; the gateway's strongSwan 5.9 would refuse every device certificate of such a CA (it requires a name to match every permitted subtree of its type, so the constraints can name one mail domain and one DNS subtree, the tenant's device names); see README "Device certificates"`,
    );
  }
  const keys = await tenantCaKey(ctx);
  const root = await fleetRoot(ctx);
  const cert = await ca.createTenantCa(root, ctx.fleet.namePrefix, ctx.tenant.id, identities, keys.publicKey, new Date());
  return { issuer: { cert, key: keys.privateKey }, ca: { certPem: ca.certPem(cert), constraintsDigest: digest } };
}

/** Re-signs the CRL (number = ledger version) and rewrites the chain; used after every commit and by recovery. */
function publisher(ctx: DeviceContext): (ledger: Ledger) => Promise<void> {
  return async (ledger) => {
    if (ledger.ca === undefined || ledger.crl === undefined) return;
    const { paths } = ctx;
    const key = await ca.importSigningKey(readFileSync(paths.tenantCaKey(ctx.tenant.id), 'utf8'), 'P-384');
    const issuer = { cert: new ca.x509.X509Certificate(ledger.ca.certPem), key };
    const crl = await ca.createCrl(issuer, ledger.version, crlEntries(ledger), new Date(ledger.crl.thisUpdate), new Date(ledger.crl.nextUpdate));
    writeFileAtomic(paths.chain(ctx.tenant.id), `${ledger.ca.certPem}${readFileSync(paths.rootCert, 'utf8')}`);
    writeFileAtomic(paths.crl(ctx.tenant.id), ca.crlPem(crl));
  };
}

function crlEntries(ledger: Ledger): ca.CrlEntry[] {
  return Object.values(ledger.devices)
    .flatMap((d) => d.certs)
    .filter((c) => c.status !== 'active' && Date.parse(c.notAfter) > Date.now())
    .map((c) => ({ serial: c.serial, at: new Date(c.statusAt), reason: c.status === 'suspended' ? 'certificateHold' : (c.reason ?? 'unspecified') }));
}

function withCrlDates(ledger: Omit<Ledger, 'crl'>): Ledger {
  const now = Date.now();
  return { ...ledger, crl: { thisUpdate: new Date(now).toISOString(), nextUpdate: new Date(now + ca.CRL_VALIDITY_DAYS * DAY_MS).toISOString() } };
}

export interface IssueOptions {
  readonly device: string;
  readonly identity?: string;
  readonly curve?: ca.Curve;
  readonly days?: number;
  /** For the .mobileconfig: where the gateway is reached, and its IKE identity (default: server). */
  readonly server?: string;
  readonly gatewayId?: string;
}

export interface IssueResult {
  readonly device: string;
  readonly identity: string;
  readonly serial: string;
  readonly notAfter: string;
  readonly certFile: string;
  readonly p12File: string;
  readonly p12PasswordFile: string;
  readonly mobileconfigFile?: string;
  readonly revokedSerial?: string;
}

export async function issueDevice(ctx: DeviceContext, o: IssueOptions, reissue = false): Promise<IssueResult> {
  const device = checkDeviceName(o.device);
  const curve = o.curve ?? 'P-256';
  if (!ca.CURVES.includes(curve)) throw new DeviceInputError(`--curve must be ${ca.CURVES.join(' or ')}`);
  const days = o.days ?? ca.MAX_DEVICE_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > ca.MAX_DEVICE_DAYS) throw new DeviceInputError(`--days must be 1-${ca.MAX_DEVICE_DAYS}`);
  const server = o.server === undefined ? undefined : checkHost(o.server, '--server');
  const gatewayId = o.gatewayId === undefined ? server : checkHost(o.gatewayId, '--gateway-id');
  if (gatewayId !== undefined && server === undefined) throw new DeviceInputError('--gateway-id needs --server');
  if (!ctx.tenant.active) throw new DeviceInputError(`tenant ${ctx.tenant.id} is not active`);
  // Device certificates log in only through the gateway's cert- connections, which exist only
  // for a contract with certificate authentication (eap-tls trusts the client CA, not this one).
  if (!ctx.tenant.contract.gateway.authentication.includes('certificate')) {
    throw new DeviceInputError(
      `${ctx.tenant.id}: the contract's gateway.authentication (${ctx.tenant.contract.gateway.authentication.join(', ')}) has no certificate login, so its gateway would accept no device certificate`,
    );
  }
  const { paths } = ctx;
  const tenant = ctx.tenant.id;
  let result: IssueResult | undefined;

  await transact(
    paths,
    tenant,
    async (ledger) => {
      const existing = ledger.devices[device];
      if (!reissue && existing !== undefined) throw new DeviceInputError(`device ${device} already exists in ${tenant}: use ras device reissue`);
      if (reissue && existing === undefined) throw new DeviceInputError(`device ${device} has never been issued in ${tenant}: use ras device issue`);
      const identity = o.identity ?? existing?.identity;
      if (identity === undefined) throw new DeviceInputError('--identity is required (a member of one of the contract\'s user groups)');
      if (existing !== undefined && identity !== existing.identity) throw new DeviceInputError(`device ${device} belongs to ${existing.identity}; a device cannot change owner`);
      if (!contractIdentities(ctx.tenant).includes(identity)) throw new DeviceInputError(`${JSON.stringify(identity)} is not a member of any user group of ${tenant}`);
      if (identityKind(identity) === undefined) throw new DeviceInputError(`identity ${identity} is neither an e-mail address nor a DNS name, so no certificate can carry it`);
      const { issuer, ca: caRecord } = await tenantCa(ctx, ledger);
      const now = new Date();
      const used = new Set(Object.values(ledger.devices).flatMap((d) => d.certs.map((c) => c.serial)));
      let serial = ca.newSerial();
      while (used.has(serial)) serial = ca.newSerial();
      const keys = await ca.generateKeyPair(curve);
      const cert = await ca.createDeviceCert(issuer, { namePrefix: ctx.fleet.namePrefix, tenant, device, identity, days, serial, publicKey: keys.publicKey, now });
      const keyPem = await ca.privateKeyPem(keys.privateKey);
      const certPem = ca.certPem(cert);
      const chainPem = `${caRecord!.certPem}${readFileSync(paths.rootCert, 'utf8')}`;
      const password = newP12Password();
      const certFile = paths.certFile(tenant, device, serial);
      const chainTemp = `${certFile}.chain`;
      // The previous certificate of the device is superseded, unless already revoked.
      const previous = existing?.certs[existing.certs.length - 1];
      const revokedSerial = previous !== undefined && previous.status !== 'revoked' ? previous.serial : undefined;
      const certs: IssuedCert[] = (existing?.certs ?? []).map((c) =>
        c.serial === revokedSerial ? { ...c, status: 'revoked', statusAt: now.toISOString(), reason: 'superseded' } : c,
      );
      certs.push({ serial, curve, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), status: 'active', statusAt: now.toISOString() });
      const record: DeviceRecord = { identity, certs };
      const p12File = paths.deviceSecret(tenant, device, serial, 'p12');
      const mobileconfigFile = server === undefined ? undefined : paths.deviceSecret(tenant, device, serial, 'mobileconfig');
      const files = [
        { path: paths.deviceSecret(tenant, device, serial, 'key'), write: () => writeSecret(paths.deviceSecret(tenant, device, serial, 'key'), keyPem) },
        { path: certFile, write: () => writeFileAtomic(certFile, certPem) },
        {
          path: p12File,
          write: () => {
            writeFileAtomic(chainTemp, chainPem);
            try {
              writeSecret(paths.deviceSecret(tenant, device, serial, 'p12-password'), `${password}\n`);
              writeSecret(p12File, pkcs12(keyPem, certPem, chainTemp, `${identity} (${device})`, password, false));
              if (mobileconfigFile !== undefined) {
                const appleP12 = pkcs12(keyPem, certPem, chainTemp, `${identity} (${device})`, password, true);
                writeSecret(
                  mobileconfigFile,
                  mobileconfig({ tenant, device, identity, server: server!, gatewayId: gatewayId!, profile: ctx.tenant.crypto.profile, curve, p12: appleP12, organization: ctx.fleet.namePrefix }),
                );
              }
            } finally {
              if (existsSync(chainTemp)) unlinkSync(chainTemp);
            }
          },
        },
        { path: paths.deviceSecret(tenant, device, serial, 'p12-password'), write: () => undefined },
        ...(mobileconfigFile === undefined ? [] : [{ path: mobileconfigFile, write: () => undefined }]),
      ];
      result = { device, identity, serial, notAfter: cert.notAfter.toISOString(), certFile, p12File, p12PasswordFile: paths.deviceSecret(tenant, device, serial, 'p12-password'), mobileconfigFile, revokedSerial };
      return {
        ledger: withCrlDates({ ...ledger, ca: caRecord, devices: { ...ledger.devices, [device]: record } }),
        kind: reissue ? 'device-reissued' : 'device-issued',
        changes: [{ path: ['devices', device], from: existing === undefined ? undefined : summary(existing), to: summary(record) }],
        files,
      };
    },
    publisher(ctx),
    { lockTimeoutMs: ctx.lockTimeoutMs },
  );
  return result!;
}

function summary(d: DeviceRecord): unknown {
  return { identity: d.identity, certs: d.certs.map((c) => ({ serial: c.serial, status: c.status, notAfter: c.notAfter, ...(c.reason === undefined ? {} : { reason: c.reason }) })) };
}

export type StatusChange = 'suspend' | 'resume' | 'revoke';

/** Suspends (certificateHold), resumes (drops the hold) or revokes the device's current certificate. */
export async function changeStatus(ctx: DeviceContext, device: string, change: StatusChange, reason: RevokeReason = 'cessationOfOperation'): Promise<IssuedCert> {
  checkDeviceName(device);
  let changed: IssuedCert | undefined;
  await transact(
    ctx.paths,
    ctx.tenant.id,
    async (ledger) => {
      const existing = ledger.devices[device];
      if (existing === undefined) throw new DeviceInputError(`no device ${device} in ${ctx.tenant.id}`);
      const current = existing.certs[existing.certs.length - 1];
      const allowed: Record<StatusChange, IssuedCert['status'][]> = { suspend: ['active'], resume: ['suspended'], revoke: ['active', 'suspended'] };
      if (!allowed[change].includes(current.status)) throw new DeviceInputError(`cannot ${change} device ${device}: its certificate ${current.serial} is ${current.status}`);
      if (change === 'resume' && !contractIdentities(ctx.tenant).includes(existing.identity)) throw new DeviceInputError(`${existing.identity} is no longer in the contract: revoke instead`);
      const at = new Date().toISOString();
      const next: IssuedCert =
        change === 'suspend'
          ? { ...current, status: 'suspended', statusAt: at }
          : change === 'resume'
            ? { ...current, status: 'active', statusAt: at }
            : { ...current, status: 'revoked', statusAt: at, reason };
      changed = next;
      const record: DeviceRecord = { ...existing, certs: [...existing.certs.slice(0, -1), next] };
      const { ca: caRecord } = await tenantCa(ctx, ledger);
      return {
        ledger: withCrlDates({ ...ledger, ca: caRecord, devices: { ...ledger.devices, [device]: record } }),
        kind: `device-${change === 'suspend' ? 'suspended' : change === 'resume' ? 'resumed' : 'revoked'}`,
        changes: [{ path: ['devices', device], from: summary(existing), to: summary(record) }],
        files: [],
      };
    },
    publisher(ctx),
    { lockTimeoutMs: ctx.lockTimeoutMs },
  );
  return changed!;
}

/** Re-signs the CRL with a fresh nextUpdate (run it more often than CRL_VALIDITY_DAYS, e.g. daily). */
export async function resignCrl(ctx: DeviceContext): Promise<string> {
  await transact(
    ctx.paths,
    ctx.tenant.id,
    async (ledger) => {
      const { ca: caRecord } = await tenantCa(ctx, ledger);
      return { ledger: withCrlDates({ ...ledger, ca: caRecord }), kind: 'device-crl-signed', changes: [], files: [] };
    },
    publisher(ctx),
    { lockTimeoutMs: ctx.lockTimeoutMs },
  );
  return ctx.paths.crl(ctx.tenant.id);
}

export interface DeviceRow {
  readonly tenant: string;
  readonly device: string;
  readonly identity: string;
  readonly serial: string;
  readonly status: IssuedCert['status'];
  readonly notAfter: string;
  readonly daysLeft: number;
}

/** Each device's current certificate; `expiringWithinDays` keeps the non-revoked ones expiring within that many days. */
export function listDevices(paths: DevicePaths, tenant: string, expiringWithinDays?: number, now = Date.now()): DeviceRow[] {
  const ledger = readLedger(paths, tenant);
  const rows = Object.entries(ledger.devices)
    .map(([device, d]) => {
      const c = d.certs[d.certs.length - 1];
      return { tenant, device, identity: d.identity, serial: c.serial, status: c.status, notAfter: c.notAfter, daysLeft: Math.floor((Date.parse(c.notAfter) - now) / DAY_MS) };
    })
    .sort((a, b) => (a.device < b.device ? -1 : 1));
  if (expiringWithinDays === undefined) return rows;
  return rows.filter((r) => r.status !== 'revoked' && Date.parse(r.notAfter) - now <= expiringWithinDays * DAY_MS);
}
