/**
 * What a device installs: a PKCS#12 bundle (Windows: certificate store, EAP-TLS) and a
 * .mobileconfig profile (macOS/iOS: the PKCS#12 plus an IKEv2 VPN payload with the gateway's
 * identity and the tenant's proposals). Both embed the private key (encrypted), so both are
 * written to the secret store only.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoProfile } from '../contract/types';
import type { Curve } from './ca';
import { xmlEscape } from './names';

/** A random password for one PKCS#12 bundle (stored next to it, 0600). */
export function newP12Password(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `openssl pkcs12 -export`: the key and certificate go in on standard input and the password on
 * file descriptor 3, so neither ever appears in an argument list or the environment.
 * `compatible` uses PBE-SHA1-3DES with a SHA-1 MAC, the only PKCS#12 encryption older Apple
 * profile installers import; the password is random, so the weak PBE does not shorten the key.
 */
export function pkcs12(keyPem: string, certPem: string, chainFile: string, name: string, password: string, compatible: boolean): Buffer {
  const args = ['pkcs12', '-export', '-passout', 'fd:3', '-certfile', chainFile, '-name', name];
  if (compatible) args.push('-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
  const passFd = passwordDescriptor(password);
  try {
    const result = spawnSync('openssl', args, { input: `${keyPem}${certPem}`, stdio: ['pipe', 'pipe', 'pipe', passFd], maxBuffer: 1 << 20 });
    if (result.status !== 0) throw new Error(`openssl pkcs12 -export failed: ${result.stderr.toString().trim()}`);
    return result.stdout;
  } finally {
    closeSync(passFd);
  }
}

/**
 * A read descriptor holding the password: a 0600 file in a private temporary folder, unlinked
 * before openssl starts, so the open descriptor handed to openssl as fd 3 is the only way to it.
 */
function passwordDescriptor(password: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'ras-p12-'));
  const file = join(dir, 'pass');
  try {
    const fd = openSync(file, 'wx+', 0o600);
    writeSync(fd, `${password}\n`, 0);
    return fd;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** IKEv2 parameters a stock Apple client uses, within the gateway's proposals for each profile (ansible/README.md). */
const APPLE_PROPOSALS: Record<CryptoProfile, { encryption: string; integrity: string; dhGroup: number }> = {
  // aes256gcm16-prfsha384-ecp384 (IKE), aes256gcm16 (ESP): the first proposal of `strong`.
  strong: { encryption: 'AES-256-GCM', integrity: 'SHA2-384', dhGroup: 20 },
  // `legacy` keeps every `strong` proposal; Apple devices need none of the legacy ones.
  legacy: { encryption: 'AES-256-GCM', integrity: 'SHA2-384', dhGroup: 20 },
};

export interface MobileconfigInput {
  readonly tenant: string;
  readonly device: string;
  readonly identity: string;
  readonly server: string;
  readonly gatewayId: string;
  readonly profile: CryptoProfile;
  readonly curve: Curve;
  readonly p12: Buffer;
  readonly organization: string;
}

const str = (s: string): string => `<string>${xmlEscape(s)}</string>`;

/** A configuration profile (plist XML). The PKCS#12 password is not in it: the installer asks for it. */
export function mobileconfig(m: MobileconfigInput): string {
  const p = APPLE_PROPOSALS[m.profile];
  const certUuid = randomUUID().toUpperCase();
  const vpnUuid = randomUUID().toUpperCase();
  const profileUuid = randomUUID().toUpperCase();
  const base = `jp.invalid.ras.${m.tenant}.${m.device}`;
  const sa = (lifetime: number): string =>
    `<dict><key>EncryptionAlgorithm</key>${str(p.encryption)}<key>IntegrityAlgorithm</key>${str(p.integrity)}` +
    `<key>DiffieHellmanGroup</key><integer>${p.dhGroup}</integer><key>LifeTimeInMinutes</key><integer>${lifetime}</integer></dict>`;
  const b64 = m.p12.toString('base64').replace(/(.{64})/g, '$1\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
<key>PayloadType</key>${str('Configuration')}
<key>PayloadVersion</key><integer>1</integer>
<key>PayloadIdentifier</key>${str(base)}
<key>PayloadUUID</key>${str(profileUuid)}
<key>PayloadDisplayName</key>${str(`VPN ${m.tenant} (${m.device})`)}
<key>PayloadOrganization</key>${str(m.organization)}
<key>PayloadContent</key>
<array>
<dict>
<key>PayloadType</key>${str('com.apple.security.pkcs12')}
<key>PayloadVersion</key><integer>1</integer>
<key>PayloadIdentifier</key>${str(`${base}.identity`)}
<key>PayloadUUID</key>${str(certUuid)}
<key>PayloadDisplayName</key>${str(`${m.identity} (${m.device})`)}
<key>PayloadCertificateFileName</key>${str(`${m.device}.p12`)}
<key>PayloadContent</key>
<data>
${b64}
</data>
</dict>
<dict>
<key>PayloadType</key>${str('com.apple.vpn.managed')}
<key>PayloadVersion</key><integer>1</integer>
<key>PayloadIdentifier</key>${str(`${base}.vpn`)}
<key>PayloadUUID</key>${str(vpnUuid)}
<key>PayloadDisplayName</key>${str(`VPN ${m.tenant}`)}
<key>UserDefinedName</key>${str(`VPN ${m.tenant}`)}
<key>VPNType</key>${str('IKEv2')}
<key>IKEv2</key>
<dict>
<key>RemoteAddress</key>${str(m.server)}
<key>RemoteIdentifier</key>${str(m.gatewayId)}
<key>LocalIdentifier</key>${str(m.identity)}
<key>AuthenticationMethod</key>${str('Certificate')}
<key>CertificateType</key>${str(m.curve === 'P-384' ? 'ECDSA384' : 'ECDSA256')}
<key>PayloadCertificateUUID</key>${str(certUuid)}
<key>ExtendedAuthEnabled</key><integer>0</integer>
<key>EnablePFS</key><integer>0</integer>
<key>DeadPeerDetectionRate</key>${str('Medium')}
<key>IKESecurityAssociationParameters</key>${sa(1440)}
<key>ChildSecurityAssociationParameters</key>${sa(480)}
</dict>
</dict>
</array>
</dict>
</plist>
`;
}
