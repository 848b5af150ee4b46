/**
 * A Type B relay's reach, compared between base and head: every user group x destination CIDR
 * x port the relay would CONNECT to (relay_routes of the rendered variables). A pair the head
 * admits and the base did not lets users reach a host they could not reach before: a risk flag
 * with the access controls (9.4.1 information access restriction, CLD9.5.2 segregation), even
 * though the tenant is out of ISO/IEC 27017 scope (the reviewer still decides).
 */
import { controlsForGatewayVariable, sortControls } from './controls';
import type { Risk } from './types';

const ROUTES = 'relay_routes';

/** `group -> cidr:port` for every pair the rendered routes admit (malformed entries admit nothing here and fail the role's checks). */
function reach(vars: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  const routes = vars?.[ROUTES];
  if (!Array.isArray(routes)) return out;
  for (const r of routes as Record<string, unknown>[]) {
    if (r === null || typeof r !== 'object' || typeof r.user_group !== 'string' || !Array.isArray(r.destinations) || !Array.isArray(r.ports)) continue;
    for (const cidr of r.destinations) for (const port of r.ports) out.add(`${r.user_group} -> ${String(cidr)}:${String(port)}`);
  }
  return out;
}

export function relayDestinationsAdded(tenant: string, base?: Record<string, unknown>, head?: Record<string, unknown>): Risk[] {
  // A tenant new in head, or a head that is no relay, opens nothing to review here.
  if (base === undefined || head === undefined || !Array.isArray(head[ROUTES])) return [];
  const before = reach(base);
  const after = [...reach(head)].sort();
  const added = after.filter((p) => !before.has(p));
  if (added.length === 0) return [];
  return [
    {
      code: 'relay-destination-added',
      tenant,
      address: 'gateway variables (ansible host_vars)',
      attribute: ROUTES,
      before: [...before].sort(),
      after,
      message: `relay opened to another destination: ${added.join(', ')}`,
      controls: sortControls(controlsForGatewayVariable(ROUTES)),
    },
  ];
}
