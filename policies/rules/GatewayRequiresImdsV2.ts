import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';
import { block, ofType } from '../view';

/** 5.8 / CLD9.5.2: the gateway's instance metadata answers only session-token (IMDSv2) requests. */
export const GatewayRequiresImdsV2: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const instances = ofType(tenant, 'aws_instance');
    if (instances.length === 0) return judge([finding('aws_instance', '', undefined, 'the gateway instance')], []);
    const results = instances.map((i) => ({ i, tokens: block(i.config.metadata_options)?.http_tokens }));
    return judge(
      results.filter((r) => r.tokens !== 'required').map((r) => finding(r.i.address, 'metadata_options.http_tokens', r.tokens, 'required')),
      results.filter((r) => r.tokens === 'required').map((r) => evidence(r.i.address, 'metadata_options.http_tokens', r.tokens)),
    );
  });
