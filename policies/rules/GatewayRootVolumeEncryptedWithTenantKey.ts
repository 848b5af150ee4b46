import { forActive } from '../gates';
import { evidence, finding, judge } from '../results';
import type { Evidence, Finding, Rule } from '../types';
import { instanceDisks, ofType, referencedAddress } from '../view';

/** 5.8 / CLD9.5.2: every gateway disk is encrypted with the tenant's own customer-managed key. */
export const GatewayRootVolumeEncryptedWithTenantKey: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () => {
    const instances = ofType(tenant, 'aws_instance');
    if (instances.length === 0) return judge([finding('aws_instance', '', undefined, 'the gateway instance')], []);
    const keys = new Set(ofType(tenant, 'aws_kms_key').map((k) => k.address));
    const findings: Finding[] = [];
    const seen: Evidence[] = [];
    const check = (address: string, path: string, disk: Record<string, unknown> | undefined): void => {
      if (disk?.encrypted !== true) findings.push(finding(address, `${path}.encrypted`, disk?.encrypted, 'true'));
      else if (!keys.has(referencedAddress(disk.kms_key_id) ?? '')) findings.push(finding(address, `${path}.kms_key_id`, disk.kms_key_id, "a reference to the tenant's own aws_kms_key"));
      else seen.push(evidence(address, path, `encrypted with ${String(disk.kms_key_id)}`));
    };
    for (const i of instances) {
      for (const d of instanceDisks(i.config)) check(i.address, d.path, d.disk);
    }
    for (const v of ofType(tenant, 'aws_ebs_volume')) check(v.address, '', { encrypted: v.config.encrypted, kms_key_id: v.config.kms_key_id });
    return judge(findings, seen);
  });
