/**
 * A tenant's `strongswan_device_pki` variables as gateway-config renders them, with real
 * certificates and a real CRL made by the product's CA code (devices/ca.ts), for the rules' tests.
 */
import * as ca from '../../devices/ca';
import type { Json } from './fixtures';

export interface DevicePkiFixture {
  /** Tenant `t`'s variables (compliant). */
  readonly vars: Json;
  /** Tenant `other`'s device CA under the same root. */
  readonly otherTenantCa: string;
  /** A self-signed root that did not issue `t`'s CA. */
  readonly strangerRoot: string;
}

export async function devicePkiFixture(): Promise<DevicePkiFixture> {
  const now = new Date();
  const rootKeys = await ca.generateKeyPair('P-384');
  const root = { cert: await ca.createRoot('ras-test', rootKeys, now), key: rootKeys.privateKey };
  const tenantCa = async (tenant: string): Promise<ca.Issuer> => {
    const keys = await ca.generateKeyPair('P-384');
    return { cert: await ca.createTenantCa(root, 'ras-test', tenant, [`alice@${tenant}.example`], keys.publicKey, now), key: keys.privateKey };
  };
  const t = await tenantCa('t');
  const other = await tenantCa('other');
  const strangerKeys = await ca.generateKeyPair('P-384');
  const stranger = await ca.createRoot('ras-test', strangerKeys, now);
  const next = new Date(now.getTime() + ca.CRL_VALIDITY_DAYS * 86_400_000);
  const crl = await ca.createCrl(t, 3, [{ serial: '0a', at: now, reason: 'keyCompromise' }], now, next);
  return {
    vars: {
      tenant_ca: ca.certPem(t.cert),
      root_ca: ca.certPem(root.cert),
      crl: ca.crlPem(crl),
      crl_number: 3,
      crl_next_update: next.toISOString(),
      terminate_blocked_sessions: true,
      reauth_time: '4h',
      devices: 2,
      active: 1,
      suspended: 0,
      revoked: 1,
      blocked: [{ serial: '0a', device: 'laptop', identity: 'alice@t.example', status: 'revoked', reason: 'keyCompromise' }],
    },
    otherTenantCa: ca.certPem(other.cert),
    strangerRoot: ca.certPem(stranger),
  };
}
