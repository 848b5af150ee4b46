/**
 * Preconditions shared by rules: a rule about the running gateway applies to an active tenant
 * only, and a rule that needs rendered files fails closed when they are missing.
 */
import type { GatewayVariables } from '../output/gateway-variables';
import type { PortalSettingsView } from '../output/portal';
import { PORTAL_FILE } from '../output/portal';
import { finding, notApplicable } from './results';
import type { RuleResult, TenantView } from './types';
import { tenantStatus } from './view';

/** Runs `check` for an active tenant; not applicable once terminated; a finding when the status is unknown. */
export function forActive(tenant: TenantView, what: string, check: () => RuleResult): RuleResult {
  const s = tenantStatus(tenant);
  if ('finding' in s) return { status: 'non_compliant', findings: [s.finding], evidence: [] };
  if (s.status === 'terminated') return notApplicable(`terminated tenant: ${what} no longer exists`);
  return check();
}

/** Where the rendered gateway variables are expected. */
export const GATEWAY_VARIABLES_LOCATION = 'ansible/ (inventory.yml, group_vars/, host_vars/)';

export const NOT_RENDERED = 'gateway configuration not rendered';

export function withGatewayVariables(tenant: TenantView, check: (vars: GatewayVariables) => RuleResult): RuleResult {
  if (tenant.gateway === undefined) {
    return { status: 'non_compliant', findings: [finding(GATEWAY_VARIABLES_LOCATION, '', NOT_RENDERED, 'rendered gateway variables')], evidence: [] };
  }
  // Fail closed: a file Ansible would read otherwise than this reader (or not at all) is judged by no rule.
  const unreadable = tenant.gateway.unreadable;
  if (unreadable.length > 0) {
    return { status: 'non_compliant', findings: unreadable.map((u) => finding(u.file, '', `not judged: ${u.reason}`, 'variables Ansible reads exactly as written')), evidence: [] };
  }
  return check(tenant.gateway);
}

/**
 * For rules about the IPsec side (strongSwan's profile, ciphers, device CA): a Type B gateway
 * runs the relay role instead and installs no strongSwan, so there is nothing of it to judge.
 */
export function withIpsecGatewayVariables(tenant: TenantView, check: (vars: GatewayVariables) => RuleResult): RuleResult {
  return withGatewayVariables(tenant, (vars) =>
    vars.gatewayType === 'B' ? notApplicable('Type B relay: no IPsec is terminated (ansible/site.yml runs the relay role, not strongswan)') : check(vars),
  );
}

/** The file a gateway variable's value came from (evidence points there). */
export function variableFile(vars: GatewayVariables, name: string): string {
  // A missing variable belongs in the most specific file read (the host's variables).
  return vars.origin[name] ?? vars.files[vars.files.length - 1] ?? GATEWAY_VARIABLES_LOCATION;
}

export function withPortal(tenant: TenantView, check: (portal: PortalSettingsView) => RuleResult): RuleResult {
  if ('missing' in tenant.portal) {
    return { status: 'non_compliant', findings: [finding(PORTAL_FILE, '', tenant.portal.missing, 'rendered portal settings')], evidence: [] };
  }
  return check(tenant.portal.settings);
}
