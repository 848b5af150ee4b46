/**
 * Test-only credentials, generated at run time in a temporary folder laid out like the
 * fleet's `file` secret store (<pathPrefix>/<tenant>/<secret name>). Nothing here is ever
 * committed; the rendered variables only name this folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_NAMES } from '../../../gateway-config';
import { must } from './run';

export interface ClientCredential {
  readonly identity: string;
  readonly cert: string;
  readonly key: string;
}

export class TestPki {
  readonly caCert: string;
  private readonly caKey: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.caKey = this.key('ca');
    this.caCert = join(dir, 'ca.crt');
    writeFileSync(this.caCert, must(['pki', '--self', '--ca', '--lifetime', '30', '--in', this.caKey, '--type', 'ecdsa', '--dn', 'C=JP, O=RAS e2e, CN=RAS e2e test CA', '--outform', 'pem']).stdout);
  }

  private key(name: string): string {
    const path = join(this.dir, `${name}.key`);
    writeFileSync(path, must(['pki', '--gen', '--type', 'ecdsa', '--size', '256', '--outform', 'pem']).stdout, { mode: 0o600 });
    return path;
  }

  /** Issues an end-entity certificate whose subjectAltName is `san`. */
  issue(name: string, san: string, flags: string[] = []): { cert: string; key: string } {
    const key = this.key(name);
    const pub = join(this.dir, `${name}.pub`);
    writeFileSync(pub, must(['pki', '--pub', '--in', key, '--type', 'ecdsa', '--outform', 'pem']).stdout);
    const cert = join(this.dir, `${name}.crt`);
    const args = ['pki', '--issue', '--in', pub, '--type', 'pub', '--cacert', this.caCert, '--cakey', this.caKey, '--lifetime', '30', '--dn', `C=JP, O=RAS e2e, CN=${san}`, '--san', san, '--outform', 'pem'];
    for (const f of flags) args.push('--flag', f);
    writeFileSync(cert, must(args).stdout);
    return { cert, key };
  }

  /** Signs a CRL (with Authority Key Identifier and CRL number, which charon requires) revoking `certs`. */
  revoke(certs: readonly string[], name = 'revoked'): string {
    const crl = join(this.dir, `${name}.crl`);
    const args = ['pki', '--signcrl', '--cacert', this.caCert, '--cakey', this.caKey, '--lifetime', '30', '--reason', 'key-compromise', '--outform', 'pem'];
    for (const c of certs) args.push('--cert', c);
    writeFileSync(crl, must(args).stdout);
    return crl;
  }

  client(identity: string): ClientCredential {
    const name = identity.replace(/[^A-Za-z0-9]/g, '_');
    return { identity, ...this.issue(name, identity, ['clientAuth']) };
  }
}

export function randomSecret(): string {
  return randomBytes(18).toString('base64url');
}

/** Writes the tenant's secrets where the `file` secret store kind expects them. */
export function writeSecretStore(tenantDir: string, pki: TestPki, gateway: { cert: string; key: string }, eapUsers: Record<string, string>, psk: string): void {
  mkdirSync(tenantDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(tenantDir, SECRET_NAMES.caCertificate), readFileSync(pki.caCert));
  writeFileSync(join(tenantDir, SECRET_NAMES.gatewayCertificate), readFileSync(gateway.cert));
  writeFileSync(join(tenantDir, SECRET_NAMES.gatewayKey), readFileSync(gateway.key), { mode: 0o600 });
  writeFileSync(join(tenantDir, SECRET_NAMES.eapUsers), JSON.stringify(eapUsers), { mode: 0o600 });
  writeFileSync(join(tenantDir, SECRET_NAMES.l2tpPsk), psk, { mode: 0o600 });
}
