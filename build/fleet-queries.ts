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

/** `index`, noting every question and answer into `log`. */
export function recording(index: FleetIndex, log: FleetQuery[]): FleetIndex {
  return {
    overlapping(cidr, except, kinds) {
      const answer = index.overlapping(cidr, except, kinds);
      log.push({ ask: 'overlapping', cidr: cidr.text, except, kinds: [...kinds], answer });
      return answer;
    },
    sameVlan(value, link, except) {
      const answer = index.sameVlan(value, link, except);
      log.push({ ask: 'sameVlan', value, ...(link === undefined ? {} : { link }), except, answer });
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
    return JSON.stringify(answer) === JSON.stringify(q.answer);
  });
}
