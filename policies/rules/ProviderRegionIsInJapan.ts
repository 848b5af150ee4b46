import { JAPAN_REGIONS } from '../../commitments';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';

/** Every aws provider (aliases too) deploys into a Japanese region: data and equipment stay in Japan. */
export const ProviderRegionIsInJapan: Rule = ({ tenant }) => {
  const providers = tenant.tf.provider?.aws ?? [];
  const required = `one of ${JAPAN_REGIONS.join(', ')}`;
  if (providers.length === 0) return judge([finding('provider.aws', '', undefined, `an aws provider with region ${required}`)], []);
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  providers.forEach((p, i) => {
    const region = (p as { region?: unknown }).region;
    if (typeof region === 'string' && JAPAN_REGIONS.includes(region)) seen.push(evidence(`provider.aws[${i}]`, 'region', region));
    else findings.push(finding(`provider.aws[${i}]`, 'region', region, required));
  });
  return judge(findings, seen);
};
