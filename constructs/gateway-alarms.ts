import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { PropsCheck } from './validate';

export interface GatewayAlarmsProps {
  /** Prefix of the alarm names. */
  readonly name: string;
  /** The watched instance. */
  readonly instanceId: string;
  /** SNS topic (ARN) notified on alarm and on recovery. */
  readonly topicArn: string;
  /** Sustained bandwidth of the instance type (Mbit/s, above 0); the network alarms fire at `networkThreshold` of it. */
  readonly baselineMbps: number;
  /**
   * CPU utilisation (percent above 0, at most 100; 5-minute average) that raises the CPU alarm.
   * @default 80
   */
  readonly cpuThresholdPercent?: number;
  /**
   * Share of the baseline bandwidth (above 0, at most 1), sustained over 5 minutes, that raises a network alarm.
   * @default 0.8
   */
  readonly networkThreshold?: number;
}

const PERIOD_SECONDS = 300;

/**
 * The provider's monitoring of a gateway (CLD12.4.5): instance status, CPU and network in each
 * direction, notifying the operations topic. Memory and disk come from node_exporter on the host.
 */
export class GatewayAlarms extends Construct {
  public readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: GatewayAlarmsProps) {
    super(scope, id);
    validateProps(this, props);
    const common = {
      namespace: 'AWS/EC2',
      dimensions: { InstanceId: props.instanceId },
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    };
    this.alarms.push(
      new CloudwatchMetricAlarm(this, 'StatusCheck', {
        ...common,
        alarmName: `${props.name}-gateway-status-check`,
        alarmDescription: 'Gateway failed its EC2 status checks (instance or system)',
        metricName: 'StatusCheckFailed',
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        // No data from a gateway means it is not reporting: treat as failing.
        treatMissingData: 'breaching',
      }),
      new CloudwatchMetricAlarm(this, 'Cpu', {
        ...common,
        alarmName: `${props.name}-gateway-cpu`,
        alarmDescription: 'Gateway CPU is high for 15 minutes: the declared sizing may be exceeded',
        metricName: 'CPUUtilization',
        statistic: 'Average',
        period: PERIOD_SECONDS,
        evaluationPeriods: 3,
        threshold: props.cpuThresholdPercent ?? 80,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
      }),
    );
    // Bytes in one period at the given share of the baseline bandwidth.
    const bytes = Math.round(((props.baselineMbps * 1_000_000) / 8) * PERIOD_SECONDS * (props.networkThreshold ?? 0.8));
    for (const direction of ['In', 'Out'] as const) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `Network${direction}`, {
          ...common,
          alarmName: `${props.name}-gateway-network-${direction.toLowerCase()}`,
          alarmDescription: `Gateway network ${direction.toLowerCase()} near the instance's sustained bandwidth`,
          metricName: `Network${direction}`,
          statistic: 'Sum',
          period: PERIOD_SECONDS,
          evaluationPeriods: 2,
          threshold: bytes,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'missing',
        }),
      );
    }
  }
}

function validateProps(alarms: GatewayAlarms, props: GatewayAlarmsProps): void {
  const check = new PropsCheck('GatewayAlarms', alarms);
  check.arn('topicArn', props.topicArn, 'sns');
  check.positive('baselineMbps', props.baselineMbps, 'Mbit/s');
  check.number('cpuThresholdPercent', props.cpuThresholdPercent, { min: 0, max: 100, exclusiveMin: true }, 'percent, above 0 and at most 100');
  check.number('networkThreshold', props.networkThreshold, { min: 0, max: 1, exclusiveMin: true }, 'a share of the baseline, above 0 and at most 1');
  check.done();
}
