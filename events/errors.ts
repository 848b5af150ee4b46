/**
 * Why an event was refused. Each code is stable (senders and tests match on it) and maps to one
 * HTTP status and one CLI exit code, so `ras contract apply` and `ras serve` always agree.
 */

/** A located problem inside an event or inside the contract it would produce. */
export interface EventProblem {
  /** EVT0xx for the event itself, RASxxx for the contract checks (see contract/problems.ts). */
  readonly code: string;
  /** Dotted field path, e.g. `payload.gateway.sizing.terminals` or `gateway.clientPool`. */
  readonly field: string;
  readonly message: string;
  /** For contract problems: where in which contract file. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export const EVENT_ERRORS = {
  'malformed-json': { status: 400, exit: 1, meaning: 'the body is not JSON' },
  'invalid-event': { status: 400, exit: 1, meaning: 'the event does not match the event schema' },
  'contract-invalid': { status: 400, exit: 1, meaning: 'the resulting contract (or the fleet with it in place) fails the contract checks' },
  'fleet-invalid': { status: 503, exit: 1, meaning: 'the contracts on disk already fail the checks; no event can be judged until an operator fixes them' },
  'stale-version': { status: 409, exit: 3, meaning: 'the version is not newer than the version already applied' },
  'event-id-reused': { status: 409, exit: 3, meaning: 'this event id was already applied with different content' },
  'tenant-exists': { status: 409, exit: 3, meaning: 'created names a tenant that already has a contract' },
  'unknown-tenant': { status: 409, exit: 3, meaning: 'the tenant has no contract' },
  'tenant-terminated': { status: 409, exit: 3, meaning: 'the tenant is terminated; only a purge is accepted' },
  'tenant-active': { status: 409, exit: 3, meaning: 'a purge needs a terminated tenant' },
  'retention-window-open': { status: 409, exit: 3, meaning: 'the 45-day erasure window has not ended yet' },
  'tenant-purged': { status: 409, exit: 3, meaning: 'the tenant was purged; its id is retired' },
  'pool-exhausted': { status: 409, exit: 3, meaning: 'no free VPC block, client pool block or VLAN id is left in the fleet pools' },
  'lock-timeout': { status: 409, exit: 4, meaning: 'another apply held the tenant lock for too long' },
} as const;

export type EventErrorCode = keyof typeof EVENT_ERRORS;

export class EventError extends Error {
  public readonly problems: readonly EventProblem[];

  constructor(
    public readonly code: EventErrorCode,
    message: string,
    problems: readonly EventProblem[] = [],
  ) {
    super(message);
    this.name = 'EventError';
    this.problems = problems;
  }

  public get status(): number {
    return EVENT_ERRORS[this.code].status;
  }

  public get exitCode(): number {
    return EVENT_ERRORS[this.code].exit;
  }
}

/** CLI exit codes besides the refusals above (0, 1 and 2 as for every `ras` command). */
export const EXIT = { ok: 0, failure: 1, usage: 2, synthFailed: 5 } as const;
