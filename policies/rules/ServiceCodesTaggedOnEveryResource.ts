import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { DEFAULT_TAGS_ADDRESS, DEFAULT_TAGS_PATH, isReference } from '../view';

const CODE_KINDS = ['management', 'gateway', 'network'] as const;
const REQUIRED = ['ras:tenant', ...CODE_KINDS.map((k) => `ras:service-code:${k}`), 'ras:status', 'ras:iso27017-scope'];

/**
 * 4.2: every resource carries the tenant and its service codes (the provider's default tags),
 * each customer label names a code the tenant holds, and no resource overrides them.
 */
export const ServiceCodesTaggedOnEveryResource: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const tagPath = (k: string): string => `${DEFAULT_TAGS_PATH}["${k}"]`;
  for (const key of REQUIRED) {
    const v = tenant.tags[key];
    if (typeof v === 'string' && v.trim() !== '' && !isReference(v)) seen.push(evidence(DEFAULT_TAGS_ADDRESS, tagPath(key), v));
    else findings.push(finding(DEFAULT_TAGS_ADDRESS, tagPath(key), v, 'a literal, non-empty tag'));
  }
  if (tenant.tags['ras:tenant'] !== undefined && tenant.tags['ras:tenant'] !== tenant.stackId) {
    findings.push(finding(DEFAULT_TAGS_ADDRESS, tagPath('ras:tenant'), tenant.tags['ras:tenant'], `the stack's tenant ${tenant.stackId}`));
  }
  const codes = new Set(CODE_KINDS.map((k) => tenant.tags[`ras:service-code:${k}`]));
  for (const [key, label] of Object.entries(tenant.tags)) {
    if (!key.startsWith('ras:label:')) continue;
    const code = key.slice('ras:label:'.length);
    if (codes.has(code)) seen.push(evidence(DEFAULT_TAGS_ADDRESS, tagPath(key), label));
    else findings.push(finding(DEFAULT_TAGS_ADDRESS, tagPath(key), label, `a label for one of the tenant's service codes (${[...codes].join(', ')})`));
  }
  for (const r of tenant.resources) {
    const own = r.config.tags;
    if (own === null || typeof own !== 'object') continue;
    for (const [key, value] of Object.entries(own)) {
      if (key.startsWith('ras:') && key in tenant.tags && value !== tenant.tags[key]) {
        findings.push(finding(r.address, `tags["${key}"]`, value, `the default tag's value ${tenant.tags[key]}`));
      }
    }
  }
  return judge(findings, seen);
};
