/**
 * Contract events as accepted by `ras contract apply` and `ras serve`. They mirror
 * schema/event.schema.json; code only casts to them after ajv has accepted the event.
 */
import type { TenantContract } from '../contract/types';

export type EventKind = 'created' | 'changed' | 'terminated' | 'purged';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A new contract: everything but what the fleet allocates and what events own. */
export interface CreatedPayload extends Omit<TenantContract, 'tenant' | 'status' | 'terminationDate' | 'contractVersion' | 'lastEventId' | 'gateway' | 'network'> {
  readonly gateway: Omit<TenantContract['gateway'], 'clientPool'> & { readonly clientPool?: string };
  readonly network: Omit<TenantContract['network'], 'vpcCidr' | 'vlanId'> & { readonly vpcCidr?: string; readonly vlanId?: number };
}

/** Fields to replace; gateway and gateway.sizing merge one level down. */
export interface ChangedPayload {
  readonly customer?: TenantContract['customer'];
  readonly labels?: TenantContract['labels'];
  readonly gateway?: {
    readonly sizing?: Partial<TenantContract['gateway']['sizing']>;
    readonly protocols?: TenantContract['gateway']['protocols'];
    readonly crypto?: TenantContract['gateway']['crypto'];
    readonly authentication?: TenantContract['gateway']['authentication'];
  };
  readonly accessControl?: TenantContract['accessControl'];
  readonly portal?: TenantContract['portal'];
}

export interface TerminatedPayload {
  readonly terminationDate: string;
}

export type PurgedPayload = Record<string, never>;

interface EventBase<K extends EventKind, P> {
  readonly id: string;
  readonly tenant: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly kind: K;
  readonly payload: P;
}

export type ContractEvent =
  | EventBase<'created', CreatedPayload>
  | EventBase<'changed', ChangedPayload>
  | EventBase<'terminated', TerminatedPayload>
  | EventBase<'purged', PurgedPayload>;

/** A contract being assembled by the apply step (plain JSON, written once complete). */
export type DraftContract = Mutable<TenantContract>;
