/**
 * Everything a device name or identity reaches (file names, DNS names, PEM subjects, the
 * .mobileconfig XML, metric labels) passes through here: names are pattern-checked before use and
 * text is escaped for the format it lands in. Device names and identities are untrusted input.
 */

/** A device name: a DNS label (it becomes `<device>.<tenant>.<suffix>` in the certificate). */
export const DEVICE_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
/** A tenant id (tenant.schema.json definitions.name). */
export const TENANT_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
/** A contract identity usable in a certificate: an e-mail address, or a DNS name (strongSwan parses both as IKE ids). */
const EMAIL_IDENTITY = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DNS_IDENTITY = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** Where the gateway is reached and how it identifies itself (host name or IPv4 address). */
export const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

export type IdentityKind = 'email' | 'dns';

export class DeviceInputError extends Error {}

export function identityKind(identity: string): IdentityKind | undefined {
  if (identity.length > 128) return undefined;
  if (EMAIL_IDENTITY.test(identity)) return 'email';
  if (DNS_IDENTITY.test(identity)) return 'dns';
  return undefined;
}

export function checkDeviceName(name: string): string {
  if (!DEVICE_NAME.test(name)) throw new DeviceInputError(`device name ${JSON.stringify(name)} must be lower-case letters, digits and '-', 2-32 characters, starting with a letter`);
  return name;
}

export function checkTenant(tenant: string): string {
  if (!TENANT_NAME.test(tenant)) throw new DeviceInputError(`tenant id ${JSON.stringify(tenant)} is not a tenant id`);
  return tenant;
}

export function checkHost(host: string, what: string): string {
  if (!HOST.test(host)) throw new DeviceInputError(`${what} ${JSON.stringify(host)} must be a host name or an IPv4 address`);
  return host;
}

/** Text content or attribute value in XML (the .mobileconfig plist). */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A Prometheus label value in the text exposition format. */
export function promLabel(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
