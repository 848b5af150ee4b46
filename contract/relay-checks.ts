/**
 * Checks of a Type B (HTTP(S) relay) contract. The relay shares the contract's shape with
 * Type A (users, host groups, service groups, rules), but it only carries web traffic from
 * users holding a client certificate of the tenant's device CA: settings that only mean
 * something to an IPsec gateway, and services other than HTTP(S), are refused with the field
 * that enables them, rather than silently ignored.
 */
import { RELAY_AUTHENTICATION, RELAY_HTTP_PORTS } from '../commitments';
import type { Problem } from './problems';
import type { SourceFile } from './source';
import type { TenantContract } from './types';

export function checkRelay(t: TenantContract, src: SourceFile): Problem[] {
  if (t.gateway.type !== 'B') return [];
  return [...checkIpsecOnlySettings(t, src), ...checkHttpServices(t, src)];
}

function checkIpsecOnlySettings(t: TenantContract, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  t.gateway.authentication.forEach((method, i) => {
    if (method !== RELAY_AUTHENTICATION) {
      problems.push(
        src.problem(
          'RAS191',
          ['gateway', 'authentication', i],
          `${method}: a Type B relay authenticates users only by a client certificate from the tenant's device CA; use authentication: [${RELAY_AUTHENTICATION}]`,
        ),
      );
    }
  });
  if (t.gateway.crypto !== undefined) {
    problems.push(
      src.problem('RAS191', ['gateway', 'crypto'], "is an IPsec cryptography profile; a Type B relay's TLS listener has one fixed strong profile: remove gateway.crypto"),
    );
  }
  return problems;
}

function checkHttpServices(t: TenantContract, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  const allowed = RELAY_HTTP_PORTS.join(', ');
  t.accessControl.serviceGroups.forEach((group, g) =>
    group.services.forEach((service, s) => {
      const at = ['accessControl', 'serviceGroups', g, 'services', s] as const;
      if (service.protocol !== 'tcp') {
        problems.push(src.problem('RAS192', [...at, 'protocol'], `${service.protocol} in service group "${group.name}": a Type B relay carries only HTTP(S) over tcp (ports ${allowed})`));
      } else if (service.ports === undefined || service.ports.length === 0) {
        problems.push(src.problem('RAS192', [...at], `service group "${group.name}" allows every tcp port; a Type B relay needs explicit HTTP(S) ports (${allowed})`));
      } else {
        service.ports.forEach((port, p) => {
          if (!RELAY_HTTP_PORTS.includes(port)) {
            problems.push(src.problem('RAS192', [...at, 'ports', p], `${port} in service group "${group.name}" is not an HTTP(S) port a Type B relay carries (allowed: ${allowed})`));
          }
        });
      }
    }),
  );
  return problems;
}
