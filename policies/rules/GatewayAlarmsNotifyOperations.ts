import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { asList, block, ofType, referencedAddress } from '../view';

/** What the provider watches on every gateway (status, CPU, traffic each way). */
export const WATCHED_METRICS = [['StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System'], ['CPUUtilization'], ['NetworkIn'], ['NetworkOut']];

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;

/**
 * 8.9 / CLD12.4.5: the provider monitors each gateway: status-check, CPU and network alarms on
 * the instance, enabled, notifying an operations SNS topic (not the customer).
 */
export const GatewayAlarmsNotifyOperations: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const instances = ofType(tenant, 'aws_instance');
    if (instances.length === 0) return judge([finding('aws_instance', '', undefined, 'the gateway instance')], []);
    const topics = new Set(ofType(tenant, 'aws_sns_topic').map((t) => t.address));
    const alarms = ofType(tenant, 'aws_cloudwatch_metric_alarm');
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    for (const i of instances) {
      for (const names of WATCHED_METRICS) {
        const a = alarms.find((x) => names.includes(String(x.config.metric_name)) && referencedAddress(block(x.config.dimensions)?.InstanceId) === i.address);
        if (a === undefined) {
          findings.push(finding(i.address, 'alarms', `no ${names[0]} alarm`, `a ${names[0]} alarm on this instance`));
          continue;
        }
        const actions = asList(a.config.alarm_actions).filter((x) => typeof x === 'string' && (SNS_ARN.test(x) || topics.has(referencedAddress(x) ?? '')));
        if (a.config.actions_enabled === false) findings.push(finding(a.address, 'actions_enabled', false, 'true'));
        else if (actions.length === 0) findings.push(finding(a.address, 'alarm_actions', a.config.alarm_actions, 'an SNS topic of the operations team'));
        else seen.push(evidence(a.address, 'metric_name → alarm_actions', `${String(a.config.metric_name)} → ${actions.join(', ')}`));
      }
    }
    return judge(findings, seen);
  });
