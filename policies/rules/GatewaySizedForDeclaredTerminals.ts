import { sizeFor } from '../../lib/sizing';
import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Rule } from '../types';
import { DEFAULT_TAGS_ADDRESS, DEFAULT_TAGS_PATH, ofType } from '../view';

/**
 * 8.2 / 12.1.3: the gateway is sized for the terminals and requests per second the customer
 * declared (carried in the stack's tags): its instance type is the size class for those figures.
 */
export const GatewaySizedForDeclaredTerminals: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const figures = (['ras:declared-terminals', 'ras:declared-rps'] as const).map((key) => ({ key, text: tenant.tags[key], n: Number(tenant.tags[key]) }));
    const bad = figures.filter((f) => f.text === undefined || !/^\d+$/.test(f.text));
    if (bad.length > 0) return judge(bad.map((f) => finding(DEFAULT_TAGS_ADDRESS, `${DEFAULT_TAGS_PATH}["${f.key}"]`, f.text, 'the declared figure, a whole number')), []);
    const [terminals, rps] = figures;
    const declared = figures.map((f) => evidence(DEFAULT_TAGS_ADDRESS, `${DEFAULT_TAGS_PATH}["${f.key}"]`, f.text));
    const size = sizeFor(terminals.n, rps.n);
    if (size === undefined) return judge([finding(DEFAULT_TAGS_ADDRESS, DEFAULT_TAGS_PATH, `${terminals.n} terminals, ${rps.n} requests/s`, 'figures within the largest size class')], declared);
    const instances = ofType(tenant, 'aws_instance');
    if (instances.length === 0) return judge([finding('aws_instance', '', undefined, 'the gateway instance')], declared);
    return judge(
      instances.filter((i) => i.config.instance_type !== size.instanceType).map((i) => finding(i.address, 'instance_type', i.config.instance_type, `${size.instanceType} (size class ${size.name} for ${terminals.n} terminals, ${rps.n} requests/s)`)),
      [...declared, ...instances.filter((i) => i.config.instance_type === size.instanceType).map((i) => evidence(i.address, 'instance_type', `${size.instanceType} (size class ${size.name})`))],
    );
  });
