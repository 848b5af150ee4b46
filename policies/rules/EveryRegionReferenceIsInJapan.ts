import { JAPAN_REGIONS } from '../../commitments';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { isReference } from '../view';

const ARN_REGION = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):/;
const AZ = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/;

/**
 * Every other place a region appears (state backend, availability zones, ARNs of topics and
 * other resources) is in Japan too: a resource pinned elsewhere would move data out of the country.
 */
export const EveryRegionReferenceIsInJapan: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const required = `a region in Japan (${JAPAN_REGIONS.join(', ')})`;
  const visit = (value: unknown, resource: string, path: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, resource, `${path}[${i}]`));
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, resource, path === '' ? k : `${path}.${k}`);
      return;
    }
    if (typeof value !== 'string') return;
    const key = path.split('.').pop() ?? '';
    let region: string | undefined;
    if (key === 'region' || key.endsWith('_region')) {
      if (isReference(value)) return void findings.push(finding(resource, path, value, `${required}, as a literal`));
      region = value;
    } else if (key === 'availability_zone' && !isReference(value)) {
      region = AZ.exec(value)?.[1] ?? value;
    } else {
      region = ARN_REGION.exec(value)?.[1];
    }
    if (region === undefined) return;
    if (JAPAN_REGIONS.includes(region)) seen.push(evidence(resource, path, value));
    else findings.push(finding(resource, path, value, required));
  };
  visit(tenant.tf.terraform?.backend, 'terraform.backend', '');
  for (const r of tenant.resources) visit(r.config, r.address, '');
  return judge(findings, seen);
};
