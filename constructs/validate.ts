/**
 * Construct props checked before anything is created (after aws-cdk-lib's `validateBucketName`
 * and cdktf's `runAllValidations`): every problem is collected, then one error lists them all.
 * Values that are still tokens (known only at apply time) are skipped, as aws-cdk does.
 */
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { isCidr, parseCidr, type Cidr } from '../lib/cidr';
import { isCalendarDate } from '../lib/calendar';
import { visible } from '../contract/problems';

/** Stable codes: tests and tooling match on these, never on the wording. */
export const CONSTRUCT_PROBLEM_CODES = {
  CP101: 'not a valid S3 bucket name',
  CP102: 'not a whole number in the allowed range',
  CP103: 'number outside the allowed range',
  CP104: 'not a calendar date',
  CP105: 'not a CIDR',
  CP106: 'subnet outside its network',
  CP107: 'address ranges overlap',
  CP108: 'identifier not of the expected form',
  CP109: 'not a key prefix',
  CP110: 'given twice',
  CP111: 'prefix without a retention rule',
  CP112: 'reserved name',
  CP113: 'port given for a protocol without ports',
  CP114: 'required item missing',
  CP115: 'range open to the internet where only a closed network may reach',
} as const;

export type ConstructProblemCode = keyof typeof CONSTRUCT_PROBLEM_CODES;

export interface ConstructProblem {
  readonly code: ConstructProblemCode;
  /** The prop in the caller's terms, e.g. `retention[2].expireAfterDays`. */
  readonly field: string;
  /** The value received. */
  readonly value: unknown;
  /** What is wrong, e.g. `is not a valid S3 bucket name`. */
  readonly problem: string;
  /** What is allowed instead. */
  readonly allowed: string;
}

export function formatConstructProblem(p: ConstructProblem): string {
  return `${p.field} ${shown(p.value)} ${p.problem} (${p.allowed}) [${p.code}]`;
}

/** Thrown by a construct given props it cannot build; carries every problem found. */
export class ConstructPropsError extends Error {
  public readonly problems: readonly ConstructProblem[];
  /** Construct class and path, e.g. `LogArchive Tenant/LogArchive`. */
  public readonly construct: string;

  constructor(construct: string, problems: readonly ConstructProblem[]) {
    const lines = problems.map(formatConstructProblem);
    super(lines.length === 1 ? `${construct}: ${lines[0]}` : `${construct}: ${lines.length} problems:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'ConstructPropsError';
    this.construct = construct;
    this.problems = problems;
  }
}

export const BUCKET_NAME_RULES =
  `3-63 characters: lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, ` +
  `not an IP address, no "..", not starting with "xn--" or "sthree-", not ending with "-s3alias", "--ol-s3", ".mrap", "--x-s3" or "--table-s3"`;

/** Whole numbers of days a lifecycle rule counts. */
const DAYS = 'a whole number of days, 1 or more';
/** A name that keys a construct id or a rule id: it must not change with the data around it. */
export const STABLE_NAME = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const STABLE_NAME_RULES = "1-63 characters: lower-case letters, digits, '.' and '-', starting with a letter or digit";

/**
 * Collects the problems of one construct's props. `done()` throws them all at once; call it
 * before the construct creates any child.
 */
export class PropsCheck {
  private readonly problems: ConstructProblem[] = [];

  constructor(
    private readonly kind: string,
    private readonly scope: Construct,
  ) {}

  /** Records a problem unless `value` is (or contains) a token. */
  public add(code: ConstructProblemCode, field: string, value: unknown, problem: string, allowed: string): void {
    if (unresolved(value)) return;
    this.problems.push({ code, field, value, problem, allowed });
  }

  /** S3 bucket naming rules, as aws-cdk's `validateBucketName` checks them. */
  public bucketName(field: string, value: string): void {
    if (unresolved(value) || isBucketName(value)) return;
    this.add('CP101', field, value, 'is not a valid S3 bucket name', BUCKET_NAME_RULES);
  }

  /** A whole number within `min`..`max`. */
  public integer(field: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER, allowed?: string): void {
    if (value === undefined || unresolved(value)) return;
    if (Number.isInteger(value) && value >= min && value <= max) return;
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number, ${min} or more` : `a whole number from ${min} to ${max}`;
    this.add('CP102', field, value, 'is out of range', allowed ?? range);
  }

  /** A count of days for a lifecycle rule. */
  public days(field: string, value: number | undefined): void {
    this.integer(field, value, 1, Number.MAX_SAFE_INTEGER, DAYS);
  }

  /** A finite number above 0, in `unit`. */
  public positive(field: string, value: number | undefined, unit: string): void {
    this.number(field, value, { min: 0, max: Number.MAX_VALUE, exclusiveMin: true }, `${unit}, above 0`);
  }

  /** A finite number with `min < value <= max` (`exclusiveMin`) or `min <= value <= max`. */
  public number(field: string, value: number | undefined, range: { min: number; max: number; exclusiveMin?: boolean }, allowed: string): void {
    if (value === undefined || unresolved(value)) return;
    const aboveMin = range.exclusiveMin === true ? value > range.min : value >= range.min;
    if (Number.isFinite(value) && aboveMin && value <= range.max) return;
    this.add('CP103', field, value, 'is out of range', allowed);
  }

  public calendarDate(field: string, value: string | undefined): void {
    if (value === undefined || unresolved(value)) return;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDate(value)) return;
    this.add('CP104', field, value, 'is not a calendar date', 'YYYY-MM-DD, a day that exists');
  }

  /** Returns the parsed CIDR, or undefined when it is a token or was reported. */
  public cidr(field: string, value: string): Cidr | undefined {
    if (unresolved(value)) return undefined;
    const parsed = typeof value === 'string' ? parseCidr(value) : { error: '' };
    if (isCidr(parsed)) return parsed;
    this.add('CP105', field, value, 'is not a CIDR', 'an IPv4 network a.b.c.d/0-32 with no host bits set');
    return undefined;
  }

  /** `value` matches `pattern` in full. */
  public matches(field: string, value: string, pattern: RegExp, allowed: string): void {
    if (unresolved(value) || (typeof value === 'string' && pattern.test(value))) return;
    this.add('CP108', field, value, 'is not of the expected form', allowed);
  }

  /** An ARN of `service` (e.g. `sns`) in any region of a 12-digit account. */
  public arn(field: string, value: string, service: string): void {
    this.matches(field, value, new RegExp(`^arn:aws:${service}:[a-z0-9-]+:\\d{12}:[A-Za-z0-9:/_.+=,@-]+$`), `an ARN arn:aws:${service}:<region>:<account>:<name>`);
  }

  /** A name that keys a construct id or a rule id. */
  public stableName(field: string, value: string): void {
    this.matches(field, value, STABLE_NAME, STABLE_NAME_RULES);
  }

  /** An S3 key prefix: non-empty, ending in '/', not starting with '/'. */
  public keyPrefix(field: string, value: string): void {
    if (unresolved(value)) return;
    if (typeof value === 'string' && /^[^/].*\/$/s.test(value) && !value.includes('//')) return;
    this.add('CP109', field, value, 'is not a key prefix', "a non-empty S3 key prefix ending in '/', not starting with '/', without '//'");
  }

  /** Reports every value of `list` (keyed by `key`) that occurs again after its first place. */
  public unique<T>(list: readonly T[], field: (index: number) => string, key: (item: T) => unknown, what: string): void {
    const seen = new Set<unknown>();
    list.forEach((item, i) => {
      const k = key(item);
      if (unresolved(k)) return;
      if (seen.has(k)) this.add('CP110', field(i), k, 'is given twice', `each ${what} once`);
      seen.add(k);
    });
  }

  /** Throws every problem collected, in one error. */
  public done(): void {
    if (this.problems.length > 0) throw new ConstructPropsError(`${this.kind} ${this.scope.node.path}`, this.problems);
  }
}

export function isBucketName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) &&
    !/^(xn--|sthree-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)
  );
}

/** True for a value Terraform only knows at apply time (a token, or a string or list holding one). */
export function unresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'object' && !Array.isArray(value)) return false;
  return Token.isUnresolved(value);
}

function shown(value: unknown): string {
  if (value === undefined) return '(missing)';
  return visible(typeof value === 'string' ? JSON.stringify(value) : String(value));
}
