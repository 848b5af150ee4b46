/**
 * Checks of the fleet's operations accounts (fleet.yaml `operationsAccess`) beyond the schema:
 * the hand-off account exists, names are unique, and each public key's base64 really holds a key
 * of the type the line names (a truncated or pasted-wrong key would lock operations out of
 * every new gateway).
 */
import type { Problem } from './problems';
import type { SourceFile } from './source';
import type { OperationsAccess } from './types';

export function checkOperationsAccess(access: OperationsAccess, src: SourceFile): Problem[] {
  const problems: Problem[] = [];
  const names = access.accounts.map((a) => a.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) problems.push(src.problem('RAS105', ['operationsAccess', 'accounts', i, 'name'], `${name} is listed twice`));
  });
  if (!names.includes(access.handOffAccount)) {
    problems.push(src.problem('RAS105', ['operationsAccess', 'handOffAccount'], `${access.handOffAccount} is not one of operationsAccess.accounts (${names.join(', ')})`));
  }
  access.accounts.forEach((account, i) =>
    account.sshPublicKeys.forEach((line, k) => {
      const why = keyProblem(line);
      if (why !== undefined) problems.push(src.problem('RAS105', ['operationsAccess', 'accounts', i, 'sshPublicKeys', k], why));
    }),
  );
  return problems;
}

/** Why an OpenSSH public key line is unusable, or undefined. The blob starts with its own type name. */
export function keyProblem(line: string): string | undefined {
  const [type, base64] = line.split(' ');
  const blob = Buffer.from(base64 ?? '', 'base64');
  if (blob.length < 4 || blob.toString('base64') !== base64) return `the key of type ${type} is not valid base64`;
  const length = blob.readUInt32BE(0);
  const inner = blob.subarray(4, 4 + length).toString('latin1');
  if (inner !== type) return `the key data is of type ${JSON.stringify(inner.slice(0, 40))}, not ${type} (truncated or mixed-up key?)`;
  return undefined;
}
