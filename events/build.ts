/**
 * The contract an event leads to, from the contract as it is now. Pure: no files, no clock
 * (today is passed in), so every rule about which event is allowed when lives here and is
 * tested directly. Returns null for a purge (the contract file goes away).
 */
import { allocate, AllocationError, type Claims } from './allocate';
import type { FleetSettings, TenantContract } from '../contract/types';
import { windowEnd } from '../lib/calendar';
import { EventError } from './errors';
import type { ChangedPayload, ContractEvent, DraftContract } from './types';

export interface BuildContext {
  readonly fleet: FleetSettings;
  /** Addresses and VLANs every other tenant holds (for a new tenant's allocation). */
  readonly claims: Claims;
  /** Today in Japan, YYYY-MM-DD. */
  readonly today: string;
}

export interface Built {
  readonly contract: TenantContract | null;
  /** For a new tenant: the values the fleet allocated, by field. */
  readonly allocated?: Readonly<Record<string, string | number>>;
}

export function buildNext(event: ContractEvent, current: TenantContract | undefined, ctx: BuildContext): Built {
  const stamp = { contractVersion: event.version, lastEventId: event.id };
  switch (event.kind) {
    case 'created': {
      if (current !== undefined) throw new EventError('tenant-exists', `tenant ${event.tenant} already has a contract (version ${current.contractVersion ?? 'hand-written'})`);
      const p = event.payload;
      const alloc = allocateFor(event.payload, ctx);
      const contract: DraftContract = {
        tenant: event.tenant,
        ...p,
        status: 'active',
        gateway: { ...p.gateway, clientPool: alloc.clientPool },
        network: { ...p.network, vpcCidr: alloc.vpcCidr, vlanId: alloc.vlanId, ...(alloc.backboneLink === undefined ? {} : { backboneLink: alloc.backboneLink }) },
        ...stamp,
      };
      const allocated = Object.fromEntries(
        alloc.allocated.map((f) => [f, { 'network.vlanId': alloc.vlanId, 'network.vpcCidr': alloc.vpcCidr, 'gateway.clientPool': alloc.clientPool, 'network.backboneLink': alloc.backboneLink ?? '' }[f]]),
      );
      return { contract, allocated };
    }
    case 'changed':
      return { contract: { ...applyChange(requireActive(event, current), event.payload), ...stamp } };
    case 'terminated': {
      const active = requireActive(event, current);
      return { contract: { ...active, status: 'terminated', terminationDate: event.payload.terminationDate, ...stamp } };
    }
    case 'purged': {
      if (current === undefined) throw new EventError('unknown-tenant', `tenant ${event.tenant} has no contract to purge`);
      if (current.status !== 'terminated' || current.terminationDate === undefined) {
        throw new EventError('tenant-active', `tenant ${event.tenant} is ${current.status}; send a terminated event first`);
      }
      const end = windowEnd(current.terminationDate);
      if (ctx.today < end) {
        throw new EventError(
          'retention-window-open',
          `tenant ${event.tenant} was terminated on ${current.terminationDate}; its 45-day erasure window ends on ${end} (today in Japan is ${ctx.today})`,
        );
      }
      return { contract: null };
    }
  }
}

function requireActive(event: ContractEvent, current: TenantContract | undefined): TenantContract {
  if (current === undefined) throw new EventError('unknown-tenant', `tenant ${event.tenant} has no contract (send a created event first)`);
  if (current.status !== 'active') {
    throw new EventError('tenant-terminated', `tenant ${event.tenant} was terminated on ${current.terminationDate}; only a purge is accepted`);
  }
  return current;
}

/** A given field replaces the value; gateway and gateway.sizing merge one level down. */
function applyChange(current: TenantContract, change: ChangedPayload): TenantContract {
  const next: DraftContract = { ...current };
  if (change.customer !== undefined) next.customer = change.customer;
  if (change.labels !== undefined) {
    // An empty map removes the labels field rather than writing `labels: {}`.
    if (Object.keys(change.labels).length === 0) delete next.labels;
    else next.labels = change.labels;
  }
  if (change.accessControl !== undefined) next.accessControl = change.accessControl;
  if (change.portal !== undefined) next.portal = change.portal;
  const g = change.gateway;
  if (g !== undefined) {
    next.gateway = {
      ...current.gateway,
      ...(g.protocols !== undefined ? { protocols: g.protocols } : {}),
      ...(g.crypto !== undefined ? { crypto: g.crypto } : {}),
      ...(g.authentication !== undefined ? { authentication: g.authentication } : {}),
      sizing: { ...current.gateway.sizing, ...(g.sizing ?? {}) },
    };
  }
  return next;
}

function allocateFor(p: Extract<ContractEvent, { kind: 'created' }>['payload'], ctx: BuildContext): ReturnType<typeof allocate> {
  try {
    return allocate(ctx.fleet, ctx.claims, {
      vpcCidr: p.network.vpcCidr,
      clientPool: p.gateway.clientPool,
      vlanId: p.network.vlanId,
      region: p.region,
      backboneLink: p.network.backboneLink,
      terminals: p.gateway.sizing.terminals,
      requestsPerSecond: p.gateway.sizing.requestsPerSecond,
      ownCidrs: p.accessControl.hostGroups.flatMap((h) => h.cidrs),
    });
  } catch (e) {
    if (!(e instanceof AllocationError)) throw e;
    throw new EventError('pool-exhausted', e.message, [{ code: 'EVT020', field: e.field, message: e.message }]);
  }
}
