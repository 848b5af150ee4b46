/**
 * The certificate authority itself, pure: keys and certificates in, certificates and CRLs out.
 * Nothing here touches the disk.
 *
 *   fleet root (ECDSA P-384, self-signed)
 *     └─ tenant device CA (P-384, pathlen:0, critical name constraints: that tenant's identities only)
 *          └─ device certificates (P-256 or P-384, at most one year, clientAuth + IKE intermediate)
 */
// @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import { createHash, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { derInteger, nameConstraints, type SubtreeName } from './der';
import { identityKind, type IdentityKind } from './names';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

export type Curve = 'P-256' | 'P-384';
export const CURVES: readonly Curve[] = ['P-256', 'P-384'];
/** ISO 27017 evidence and the issue: no device certificate lives longer than this. */
export const MAX_DEVICE_DAYS = 365;
const DAY_MS = 86_400_000;
const ROOT_DAYS = 3650;
const TENANT_CA_DAYS = 1825;
/** strongSwan re-reads CRLs before this; short, so a missed re-signing shows quickly. */
export const CRL_VALIDITY_DAYS = 7;

/** id-kp-ipsecIKE is 1.3.6.1.5.5.7.3.17; "IP security IKE intermediate" (Windows, macOS) is 1.3.6.1.5.5.8.2.2. */
export const EKU_IKE_INTERMEDIATE = '1.3.6.1.5.5.8.2.2';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export async function generateKeyPair(curve: Curve): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify'])) as KeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

export async function importSigningKey(pem: string, curve: Curve): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  return (await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: curve }, false, ['sign']));
}

/** The public half of a stored private key (PKCS#8 PEM). */
export async function publicKeyFromPem(pem: string, curve: Curve): Promise<CryptoKey> {
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return webcrypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: curve }, true, ['verify']);
}

/** Random positive 127-bit serial (RFC 5280: at most 20 octets, positive). */
export function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

const SIGNING: Record<Curve, webcrypto.EcdsaParams> = {
  'P-256': { name: 'ECDSA', hash: 'SHA-256' },
  'P-384': { name: 'ECDSA', hash: 'SHA-384' },
};

export function rootName(namePrefix: string): x509.Name {
  return new x509.Name([{ O: [namePrefix] }, { CN: [`${namePrefix} device root CA`] }]);
}

export function tenantName(namePrefix: string, tenant: string, cn?: string): x509.Name {
  const rdns: { [k: string]: string[] }[] = [{ O: [namePrefix] }, { OU: [tenant] }];
  if (cn !== undefined) rdns.push({ CN: [cn] });
  return new x509.Name(rdns);
}

/**
 * A device certificate's subject: the tenant's name, the device, and the certificate's serial as
 * serialNumber (2.5.4.5). charon logs subjects, never serials, while authenticating: with the
 * serial in the subject the gateway's attempt records name the exact certificate refused or used.
 */
export function deviceSubject(namePrefix: string, tenant: string, device: string, serial: string): x509.Name {
  return new x509.Name([{ O: [namePrefix] }, { OU: [tenant] }, { CN: [device] }, { '2.5.4.5': [serial] }]);
}

/** The DNS name that makes each device's certificate unique: `<device>.<tenant>.devices.<prefix>.invalid`. */
export function deviceDnsName(namePrefix: string, tenant: string, device: string): string {
  return `${device}.${tenantDeviceDomain(namePrefix, tenant)}`;
}

function tenantDeviceDomain(namePrefix: string, tenant: string): string {
  // .invalid (RFC 6761) can never be a real host: the name identifies, it is never resolved.
  return `${tenant}.devices.${namePrefix}.invalid`;
}

/**
 * The tenant CA's name constraints: permitted are the mail domains of the contract's e-mail
 * identities, its DNS identities, the tenant's device DNS subtree and its directory name; URIs may
 * only name the reserved `.invalid` domain (so none in practice). IP subtrees are left out (below).
 *
 * Mail domains, not mailboxes: strongSwan 5.9's charon requires every name of a type to match
 * every permitted subtree of that type (it ANDs them, RFC 5280 ORs them), so with one subtree per
 * mailbox no device certificate would verify at the gateway (measured: "does not match permitted
 * name constraint 'alice@...'" for bob's certificate). Which mailboxes may log in is the gateway's
 * job (one connection per contract identity); the constraint keeps the CA inside the tenant's
 * domains. `charonCompatible` says when the subtrees still cannot work with charon.
 */
export function tenantConstraints(namePrefix: string, tenant: string, identities: readonly string[]): { permitted: SubtreeName[]; excluded: SubtreeName[] } {
  const permitted: SubtreeName[] = [];
  const domains = new Set<string>();
  for (const id of [...new Set(identities)].sort()) {
    const kind = identityKind(id);
    if (kind === 'email') domains.add(id.slice(id.indexOf('@') + 1).toLowerCase());
    if (kind === 'dns') permitted.push({ dns: id });
  }
  for (const d of [...domains].sort()) permitted.push({ email: d });
  permitted.push({ dns: tenantDeviceDomain(namePrefix, tenant) });
  permitted.push({ directoryName: Buffer.from(tenantName(namePrefix, tenant).toArrayBuffer()) });
  permitted.push({ uri: 'invalid' });
  // No IP subtrees: strongSwan 5.9 (Debian 12) cannot parse a CA certificate whose name constraints
  // carry an iPAddress subtree and would reject the whole tenant CA. Device certificates carry no IP.
  const excluded: SubtreeName[] = [];
  return { permitted, excluded };
}

/**
 * Why charon (strongSwan 5.9) would refuse every certificate of this CA, or undefined: more than
 * one permitted subtree of the e-mail or DNS type (see tenantConstraints).
 */
export function charonIncompatibility(namePrefix: string, tenant: string, identities: readonly string[]): string | undefined {
  const { permitted } = tenantConstraints(namePrefix, tenant, identities);
  const emails = permitted.filter((p) => 'email' in p).length;
  const dns = permitted.filter((p) => 'dns' in p).length;
  if (emails > 1) return `the contract's e-mail identities span ${emails} mail domains`;
  if (dns > 1) return `the contract has DNS-name identities besides the device names (${dns - 1})`;
  return undefined;
}

/** Identities a certificate can carry (the others, e.g. `a_b`, are EAP-only). */
export function certificateIdentities(identities: readonly string[]): string[] {
  return [...new Set(identities.filter((i) => identityKind(i) !== undefined))].sort();
}

/** A stable digest of the constraints, so a changed member list re-certifies the tenant CA. */
export function constraintsDigest(namePrefix: string, tenant: string, identities: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([namePrefix, tenant, certificateIdentities(identities)])).digest('hex');
}

export async function createRoot(namePrefix: string, keys: KeyPair, now: Date): Promise<x509.X509Certificate> {
  const name = rootName(namePrefix);
  return x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: name,
    issuer: name,
    notBefore: now,
    notAfter: new Date(now.getTime() + ROOT_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: SIGNING['P-384'],
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

export interface Issuer {
  readonly cert: x509.X509Certificate;
  readonly key: CryptoKey;
}

function keyIdOf(cert: x509.X509Certificate): string {
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski === null) throw new Error(`${cert.subject} has no subject key identifier`);
  return ski.keyId;
}

export async function createTenantCa(
  root: Issuer,
  namePrefix: string,
  tenant: string,
  identities: readonly string[],
  publicKey: CryptoKey,
  now: Date,
): Promise<x509.X509Certificate> {
  const { permitted, excluded } = tenantConstraints(namePrefix, tenant, identities);
  const notAfter = Math.min(now.getTime() + TENANT_CA_DAYS * DAY_MS, root.cert.notAfter.getTime());
  return x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: tenantName(namePrefix, tenant, `${tenant} device CA`),
    issuer: root.cert.subjectName,
    notBefore: now,
    notAfter: new Date(notAfter),
    publicKey,
    signingKey: root.key,
    signingAlgorithm: SIGNING['P-384'],
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.Extension('2.5.29.30', true, nameConstraints(permitted, excluded)),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      new x509.AuthorityKeyIdentifierExtension(keyIdOf(root.cert)),
    ],
  });
}

export interface DeviceCertRequest {
  readonly namePrefix: string;
  readonly tenant: string;
  readonly device: string;
  readonly identity: string;
  readonly days: number;
  readonly serial: string;
  readonly publicKey: CryptoKey;
  readonly now: Date;
}

export async function createDeviceCert(ca: Issuer, r: DeviceCertRequest): Promise<x509.X509Certificate> {
  const kind: IdentityKind | undefined = identityKind(r.identity);
  if (kind === undefined) throw new Error(`identity ${JSON.stringify(r.identity)} cannot be carried by a certificate`);
  if (!Number.isInteger(r.days) || r.days < 1 || r.days > MAX_DEVICE_DAYS) throw new Error(`validity must be 1-${MAX_DEVICE_DAYS} days`);
  const notAfter = Math.min(r.now.getTime() + r.days * DAY_MS, ca.cert.notAfter.getTime());
  return x509.X509CertificateGenerator.create({
    serialNumber: r.serial,
    subject: deviceSubject(r.namePrefix, r.tenant, r.device, r.serial),
    issuer: ca.cert.subjectName,
    notBefore: r.now,
    notAfter: new Date(notAfter),
    publicKey: r.publicKey,
    signingKey: ca.key,
    signingAlgorithm: SIGNING['P-384'],
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([EKU_CLIENT_AUTH, EKU_IKE_INTERMEDIATE], false),
      // The contract identity first (the IKE identity strongSwan matches), then the device's own name.
      new x509.SubjectAlternativeNameExtension(
        [
          { type: kind, value: r.identity },
          { type: 'dns', value: deviceDnsName(r.namePrefix, r.tenant, r.device) },
        ],
        false,
      ),
      await x509.SubjectKeyIdentifierExtension.create(r.publicKey),
      new x509.AuthorityKeyIdentifierExtension(keyIdOf(ca.cert)),
    ],
  });
}

export interface CrlEntry {
  readonly serial: string;
  readonly at: Date;
  readonly reason: 'keyCompromise' | 'superseded' | 'cessationOfOperation' | 'certificateHold' | 'unspecified';
}

/** A full CRL with Authority Key Identifier and CRL Number (strongSwan ignores a CRL without them). */
export async function createCrl(ca: Issuer, number: number, entries: readonly CrlEntry[], thisUpdate: Date, nextUpdate: Date): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: ca.cert.subjectName,
    thisUpdate,
    nextUpdate,
    signingAlgorithm: SIGNING['P-384'],
    signingKey: ca.key,
    entries: entries.map((e) => ({ serialNumber: e.serial, revocationDate: e.at, reason: x509.X509CrlReason[e.reason] })),
    extensions: [new x509.AuthorityKeyIdentifierExtension(keyIdOf(ca.cert)), new x509.Extension('2.5.29.20', false, derInteger(number))],
  });
}

export { x509 };

/** openssl and strongSwan read `X509 CRL` PEM blocks (the library writes `CRL`). */
export function crlPem(crl: x509.X509Crl): string {
  return `${x509.PemConverter.encode(crl.rawData, 'X509 CRL')}\n`;
}

export function certPem(cert: x509.X509Certificate): string {
  return `${x509.PemConverter.encode(cert.rawData, 'CERTIFICATE')}\n`;
}
