/**
 * What a tenant's results amount to. An out-of-scope tenant's results are information only,
 * never "passed": its contract is outside what the certification covers.
 */
export type Verdict = 'passed' | 'failed' | 'information_only';

export function verdictOf(inScope: boolean, passed: boolean): Verdict {
  return !inScope ? 'information_only' : passed ? 'passed' : 'failed';
}
