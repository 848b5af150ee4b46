import { absence, finding, judge, notApplicable } from '../results';
import type { Rule } from '../types';
import { tenantStatus } from '../view';

/** Resources that would keep customer settings on provider equipment after termination. */
const HOLDS_CUSTOMER_DATA = ['aws_instance', 'aws_ebs_volume', 'aws_ebs_snapshot', 'aws_ami_from_instance', 'aws_launch_template'];

/** CLD8.1.5: a terminated tenant's gateway (and its disk holding the customer's settings) is gone. */
export const TerminatedTenantKeepsNoGateway: Rule = ({ tenant }) => {
  const status = tenantStatus(tenant);
  if ('finding' in status) return judge([status.finding], []);
  if (status.status === 'active') return notApplicable('active tenant: the gateway is in service');
  const left = tenant.resources.filter((r) => HOLDS_CUSTOMER_DATA.includes(r.type));
  return judge(
    left.map((r) => finding(r.address, '', 'declared', 'no gateway or disk after termination')),
    [absence(HOLDS_CUSTOMER_DATA, 'resource type of every resource in the stack', `none declared (${tenant.resources.length} resources searched)`)],
  );
};
