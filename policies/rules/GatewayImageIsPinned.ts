import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Finding, Rule } from '../types';
import { ofType } from '../view';

const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

/**
 * 8.7 / 12.6.1: the gateway runs the hardened image operations built and pinned after assessing
 * vulnerabilities (a literal image id, never an image lookup that could pick an unassessed one).
 */
export const GatewayImageIsPinned: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const instances = ofType(tenant, 'aws_instance');
    if (instances.length === 0) return judge([finding('aws_instance', '', undefined, 'the gateway instance')], []);
    const findings: Finding[] = Object.keys(tenant.tf.data?.aws_ami ?? {}).map((name) => finding(`data.aws_ami.${name}`, '', 'image lookup', 'a pinned image id'));
    for (const i of instances) if (typeof i.config.ami !== 'string' || !AMI_ID.test(i.config.ami)) findings.push(finding(i.address, 'ami', i.config.ami, 'a literal pinned image id (ami-...)'));
    return judge(findings, instances.filter((i) => typeof i.config.ami === 'string' && AMI_ID.test(i.config.ami)).map((i) => evidence(i.address, 'ami', i.config.ami)));
  });
