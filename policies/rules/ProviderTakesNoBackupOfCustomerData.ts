import { absence, finding, judge } from '../results';
import type { Rule } from '../types';

/** Resources that would copy customer-entered data (settings on the gateway disk, archived logs) somewhere else. */
const BACKUP_TYPES = [
  'aws_backup_plan',
  'aws_backup_selection',
  'aws_backup_vault',
  'aws_s3_bucket_replication_configuration',
  'aws_ebs_snapshot',
  'aws_ebs_snapshot_copy',
  'aws_dlm_lifecycle_policy',
  'aws_ami_from_instance',
];

/**
 * 8.3 / 12.3.1: the provider does not back up the data stored on the customer's equipment (the
 * customer takes its own copies); copies would also outlive the 45-day erasure.
 */
export const ProviderTakesNoBackupOfCustomerData: Rule = ({ tenant }) =>
  judge(
    tenant.resources.filter((r) => BACKUP_TYPES.includes(r.type)).map((r) => finding(r.address, '', 'declared', 'no provider-side copy of customer data')),
    [absence(BACKUP_TYPES, 'resource type of every resource in the stack', `none declared (${tenant.resources.length} resources searched)`)],
  );
