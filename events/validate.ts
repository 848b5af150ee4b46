/**
 * Checks an untrusted event (already JSON-parsed) against schema/event.schema.json. Nothing else
 * looks at an event before this has accepted it; the tenant id in particular is only used in a
 * file name after its pattern has been checked here.
 */
import type { ErrorObject } from 'ajv';
import { validator } from '../lib/validators';
import eventSchema from '../contract/schema/event.schema.json';
import tenantSchema from '../contract/schema/tenant.schema.json';
import { fieldName } from '../contract/problems';
import { EventError, type EventProblem } from './errors';
import type { ContractEvent } from './types';

const eventValidator = validator({ name: 'contract-event', schema: eventSchema, refs: [tenantSchema], options: { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } });

/** The same pattern the schema applies to `tenant`; exported for code that builds paths. */
export const TENANT_ID = new RegExp(tenantSchema.definitions.name.pattern);

/** Returns the event typed, or throws EventError('invalid-event') listing every problem. */
export function checkEvent(data: unknown): ContractEvent {
  const validateEvent = eventValidator();
  if (!validateEvent(data)) {
    // `if` and `propertyNames` only repeat the located error beneath them.
    const problems = (validateEvent.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames').map((e) => toProblem(e, data));
    throw new EventError('invalid-event', summary(problems), dedupe(problems));
  }
  const event = data as unknown as ContractEvent;
  if (Number.isNaN(Date.parse(event.occurredAt))) {
    const problem = { code: 'EVT011', field: 'occurredAt', message: `${event.occurredAt} is not a real date-time` };
    throw new EventError('invalid-event', summary([problem]), [problem]);
  }
  return event;
}

/** The event's id when it has a usable one, for audit records of refused events. */
export function looseEventFacts(data: unknown): { id?: string; tenant?: string; version?: number; kind?: string } {
  if (data === null || typeof data !== 'object') return {};
  const d = data as Record<string, unknown>;
  return {
    id: typeof d.id === 'string' ? d.id.slice(0, 128) : undefined,
    tenant: typeof d.tenant === 'string' ? d.tenant.slice(0, 64) : undefined,
    version: typeof d.version === 'number' ? d.version : undefined,
    kind: typeof d.kind === 'string' ? d.kind.slice(0, 32) : undefined,
  };
}

function toProblem(e: ErrorObject, data: unknown): EventProblem {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.propertyName !== undefined) {
    // A map key (labels) broke a rule: name the key, not the whole map.
    return { code: 'EVT010', field: fieldName([...path, e.propertyName]), message: `key ${truncate(JSON.stringify(e.propertyName))} is not valid: ${description(e)}` };
  }
  const value = valueAt(data, path);
  const shown = value === undefined ? '' : ` (got ${truncate(JSON.stringify(value))})`;
  switch (e.keyword) {
    case 'required':
      return { code: 'EVT010', field: fieldName([...path, (e.params as { missingProperty: string }).missingProperty]), message: 'is required but missing' };
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { code: 'EVT010', field: fieldName([...path, extra]), message: 'is not a field this event kind accepts (see contract/schema/event.schema.json)' };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return { code: 'EVT010', field: fieldName(path), message: `${truncate(JSON.stringify(value))} is not allowed (expected one of ${allowed})` };
    }
    case 'pattern':
      return { code: 'EVT010', field: fieldName(path), message: `${truncate(JSON.stringify(value))} is not valid: ${description(e)}` };
    default:
      return { code: 'EVT010', field: fieldName(path), message: `${e.message ?? 'is invalid'}${shown}` };
  }
}

/** The schema's own words for what is allowed, else ajv's. */
function description(e: ErrorObject): string {
  return (e.parentSchema as { description?: string } | undefined)?.description ?? e.message ?? 'is invalid';
}

function summary(problems: readonly EventProblem[]): string {
  const lines = problems.map((p) => `${p.field === '' ? '(event)' : p.field}: ${p.code} ${p.message}`);
  return `the event is not valid:\n${lines.join('\n')}`;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

// An untrusted value is echoed back in messages; keep it short.
function truncate(text: string | undefined): string {
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function dedupe(problems: EventProblem[]): EventProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
