/**
 * What the fleet-wide rules asked about the other tenants while judging one tenant, with the
 * answers. An incremental build (build/incremental.ts) asks the same questions of the new fleet:
 * the same answers mean the tenant's verdict cannot have changed because of another tenant, so
 * a tenant whose own inputs did not change is reused even when others changed their networks.
 */
import { cidrOf, type FleetIndex } from '../policies/address-space';
import type { Claim } from '../policies/types';

export type FleetQuery =
  | { readonly ask: 'overlapping'; readonly cidr: string; readonly except: string; readonly kinds: readonly ('vpc' | 'pools')[]; readonly answer: readonly Claim[] }
  | { readonly ask: 'sameVlan'; readonly value: string; readonly link?: string; readonly except: string; readonly answer: readonly Claim[] };

/**
 * `index`, noting every question and answer into `log`, each question once: the rules ask the
 * same one more than once (every tenant asked each of its networks twice), and each logged
 * question is stored in the build record and asked again by every later build.
 */
export function recording(index: FleetIndex, log: FleetQuery[]): FleetIndex {
  const asked = new Set<string>();
  const note = (query: FleetQuery) => {
    const { answer: _answer, ...question } = query;
    const key = JSON.stringify(question);
    if (asked.has(key)) return;
    asked.add(key);
    log.push(query);
  };
  return {
    overlapping(cidr, except, kinds) {
      const answer = index.overlapping(cidr, except, kinds);
      note({ ask: 'overlapping', cidr: cidr.text, except, kinds: [...kinds], answer });
      return answer;
    },
    sameVlan(value, link, except) {
      const answer = index.sameVlan(value, link, except);
      note({ ask: 'sameVlan', value, ...(link === undefined ? {} : { link }), except, answer });
      return answer;
    },
  };
}

/** Whether `index` answers every logged question as before. */
export function sameAnswers(index: FleetIndex, log: readonly FleetQuery[]): boolean {
  return log.every((q) => {
    let answer: Claim[];
    if (q.ask === 'sameVlan') answer = index.sameVlan(q.value, q.link, q.except);
    else {
      const cidr = cidrOf(q.cidr);
      if (cidr === undefined) return false;
      answer = index.overlapping(cidr, q.except, q.kinds);
    }
    // Most answers are empty: no other tenant there.
    if (answer.length === 0 || q.answer.length === 0) return answer.length === q.answer.length;
    return JSON.stringify(answer) === JSON.stringify(q.answer);
  });
}
