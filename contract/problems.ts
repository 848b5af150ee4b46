/**
 * Problems found in contract files. Each has a stable code (tests and tooling match on it)
 * and a position in the user's file, so the message reads
 * `tenants/acme.yaml:14:5 gateway.clientPool: RAS110 10.0.0.0/33 is not a CIDR ...`.
 */

export const PROBLEM_CODES = {
  RAS001: 'file cannot be read or is not valid YAML',
  RAS010: 'schema violation',
  RAS020: 'tenant id differs from the file name',
  RAS101: 'region outside Japan',
  RAS102: 'region not configured in the fleet settings',
  RAS103: "region's fleet stack outputs not recorded",
  RAS104: 'recorded fleet stack output invalid or conflicting',
  RAS105: 'operations access invalid',
  RAS106: "pinned gateway image not built by the fleet's image pipeline",
  RAS110: 'invalid CIDR',
  RAS111: 'CIDRs overlap inside one contract',
  RAS112: 'CIDR overlaps another tenant',
  RAS113: 'allocation outside the fleet pool',
  RAS114: 'VPC CIDR size not allowed',
  RAS115: 'invalid date',
  RAS120: 'client pool smaller than the declared terminals',
  RAS121: 'declared sizing beyond the largest gateway class',
  RAS130: 'VLAN id used by another tenant on the same backbone link',
  RAS131: 'service code used by another tenant',
  RAS140: 'rule names a group that does not exist',
  RAS141: 'group name defined twice',
  RAS142: 'user identity in more than one user group',
  RAS150: 'discontinued linked service on a new contract',
  RAS160: 'terminated tenant without termination date',
  RAS161: 'termination date before the contract date',
  RAS162: 'termination date on an active tenant',
  RAS170: 'protocol the product cannot serve',
  RAS171: 'legacy cryptography without an explicit opt-in',
  RAS172: 'protocol needs an authentication method that is not enabled',
  RAS180: 'label for a service code this contract does not hold',
  RAS190: 'gateway type cannot use the enabled protocols',
  RAS191: 'Type B relay contract enables an IPsec-only setting',
  RAS192: 'Type B relay contract names a service that is not HTTP(S)',
  RAS200: 'closed mobile access the gateway cannot serve',
  RAS201: 'carrier range too wide',
  RAS202: 'region has no carrier attachment for closed mobile access',
  RAS203: 'closed mobile identity not in any user group',
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface Problem {
  readonly code: ProblemCode;
  /** File as the user named it (relative to the working directory when possible). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path of the field in the user's terms, e.g. `gateway.clientPool` or `accessControl.rules[2].hostGroup`. */
  readonly field: string;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  const field = p.field === '' ? '(document)' : p.field;
  return `${p.file}:${p.line}:${p.column} ${field}: ${p.code} ${p.message}`;
}

/** Thrown when any input is refused; carries every problem found, in file order. */
export class ContractError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = [...problems].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
    );
    super(`${sorted.length} problem(s) in the contracts:\n${sorted.map(formatProblem).join('\n')}`);
    this.name = 'ContractError';
    this.problems = sorted;
  }
}

/** Renders a path like ['accessControl','rules',2,'hostGroup'] as `accessControl.rules[2].hostGroup`. */
export function fieldName(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    out += typeof seg === 'number' ? `[${seg}]` : out === '' ? visible(seg) : `.${visible(seg)}`;
  }
  return out;
}

/** Text as a person can read it in a terminal: what a hostile file wrote may hold invisible or line-breaking characters. */
export function visible(text: string): string {
  return text.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, (ch) => `\\u{${(ch.codePointAt(0) as number).toString(16).toUpperCase()}}`);
}
