/**
 * The customer portal is not managed by Terraform, yet its settings are promises (5.1-5.3:
 * operator accounts, per-operator roles, two-factor sign-in, source-address restriction,
 * account lock). They are rendered next to each stack as portal.json so the compliance rules
 * judge synthesized output, as they do for the Terraform. No secrets, and no e-mail addresses:
 * the file reaches auditors' reports, so it says only whether an address is registered.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantModel } from '../contract/model';
import type { OperatorRole } from '../contract/types';

export const PORTAL_SETTINGS_FILE = 'portal.json';

export interface PortalSettings {
  readonly tenant: string;
  readonly twoFactorRequired: boolean;
  readonly allowedSourceCidrs: readonly string[];
  readonly lockoutThreshold: number;
  readonly operators: readonly { readonly id: string; readonly role: OperatorRole; readonly emailRegistered: boolean }[];
}

export function portalSettings(tenant: TenantModel): PortalSettings {
  const portal = tenant.contract.portal;
  return {
    tenant: tenant.id,
    twoFactorRequired: portal.twoFactorRequired,
    allowedSourceCidrs: [...portal.allowedSourceCidrs],
    lockoutThreshold: portal.lockoutThreshold,
    operators: portal.operators.map((o) => ({ id: o.id, role: o.role, emailRegistered: o.email.length > 0 })),
  };
}

/** Writes portal.json into the tenant's stack folder (stable key order, so re-synthesis changes nothing). */
export function writePortalSettings(stackDir: string, tenant: TenantModel): string {
  const file = join(stackDir, PORTAL_SETTINGS_FILE);
  writeFileSync(file, `${JSON.stringify(portalSettings(tenant), null, 2)}\n`);
  return file;
}
