/**
 * Closed mobile access: a change that opens the gateway's carrier path towards the internet (an
 * internet or NAT route on the carrier subnet, a public address on the carrier interface, a source
 * outside the carrier ranges) is a risk of its own, whether or not the compliance rules ran: the
 * carrier path's promise is that nothing on it ever reaches or comes from the internet. Judged by
 * the same rule the compliance report uses, on base and head; what head adds is flagged.
 */
import { tenantView } from '../policies/inputs/read';
import { ISO27017_PACK } from '../policies/packs/iso27017';
import { CarrierPathClosedToInternet } from '../policies/rules/CarrierPathClosedToInternet';
import type { FleetIndex, Finding, TfJson } from '../policies/types';
import { sortControls } from './controls';
import type { Risk, StackConfig } from './types';

const RULE_ID = 'CarrierPathClosedToInternet';

// The carrier rule judges one tenant's own resources; it never asks the fleet.
const NO_FLEET: FleetIndex = { overlapping: () => [], sameVlan: () => [] };

function carrierFindings(config: StackConfig): Finding[] {
  const view = tenantView('review', config as TfJson, { missing: 'not needed by the carrier rule' });
  const result = CarrierPathClosedToInternet({ tenant: view, fleet: NO_FLEET });
  return result.status === 'non_compliant' ? [...result.findings] : [];
}

export function carrierPathOpened(tenant: string, base: StackConfig, head: StackConfig): Risk[] {
  const key = (f: Finding) => `${f.resource} ${f.path}`;
  const before = new Set(carrierFindings(base).map(key));
  const controls = sortControls([...(ISO27017_PACK.find((e) => e.id === RULE_ID)?.controls ?? ['13.1.3'])]);
  return carrierFindings(head)
    .filter((f) => !before.has(key(f)))
    .map((f) => ({
      code: 'carrier-path-opened' as const,
      tenant,
      address: f.resource,
      attribute: f.path,
      after: f.found,
      message: `the closed mobile carrier path is opened towards the internet: ${f.path} ${f.found} (required: ${f.required})`,
      controls,
    }));
}
