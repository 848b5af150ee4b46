import { LOG_SEARCH_RETENTION_DAYS, LOG_STREAMS } from '../../commitments';
import { judge } from '../results';
import { prefixExpiresAfter } from '../retention';
import type { Rule, RuleResult } from '../types';

/** 8.4 / 12.4.1: the VPN connection, access control and device authentication logs are kept (searchable) for exactly 90 days. */
export const LogStreamsExpireAfter90Days: Rule = ({ tenant }) => {
  const results: RuleResult[] = LOG_STREAMS.map((s) => prefixExpiresAfter(tenant, s.prefix, LOG_SEARCH_RETENTION_DAYS, s.titleEn));
  if (results.every((r) => r.status === 'not_applicable')) return results[0];
  return judge(
    results.flatMap((r) => (r.status === 'non_compliant' ? r.findings : [])),
    results.flatMap((r) => (r.status === 'not_applicable' ? [] : r.evidence)),
  );
};
