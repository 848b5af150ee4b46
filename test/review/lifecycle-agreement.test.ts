/**
 * `ras check` and `ras plan-review` read a lifecycle rule the same way (output/lifecycle.ts): a
 * rule whose status is anything but `Enabled` keeps the objects, so the check fails the retention
 * promise and the review flags the change, for the same file.
 */
import { join } from 'node:path';
import { evaluateFleet } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { reviewSides } from '../../review/review';
import { evaluateWithPolicies } from '../../review/rules';
import type { Workspace } from '../helpers/workspace';
import { editStack, side, synthesizedWorkspace } from './sides';

const TENANT = 'sakura-trading';
const RULE_ID = 'vpn-connection-retention';

let base: Workspace;
const made: Workspace[] = [];
beforeAll(() => {
  base = synthesizedWorkspace();
});
afterAll(() => [base, ...made].forEach((w) => w.remove()));

function checkResult(ws: Workspace, rule: string): string {
  const evaluation = evaluateFleet(readFleetViews(join(ws.dir, 'cdktf.out'), { rolesDir: join('ansible', 'roles') }), []);
  const result = evaluation.tenants.find((t) => t.tenant === TENANT)!.rules.find((r) => r.id === rule)!;
  return result.status;
}

test.each(['Disabled', 'disabled', 'Suspended'])('a lifecycle rule set to %j: ras check fails it and plan-review flags it', (status) => {
  const head = synthesizedWorkspace();
  made.push(head);
  editStack(head, TENANT, (json) => {
    const config = Object.values(json.resource.aws_s3_bucket_lifecycle_configuration)[0] as { rule: { id: string; status: string }[] };
    config.rule.find((r) => r.id === RULE_ID)!.status = status;
  });

  expect(checkResult(base, 'LogStreamsExpireAfter90Days')).toBe('compliant');
  expect(checkResult(head, 'LogStreamsExpireAfter90Days')).toBe('non_compliant');

  const review = reviewSides(side(base, 'main'), side(head, 'head'), { evaluate: evaluateWithPolicies });
  const risks = review.tenants.find((t) => t.tenant === TENANT)!.risks;
  expect(risks).toContainEqual(expect.objectContaining({ code: 'retention-changed', message: expect.stringContaining(`lifecycle rule ${RULE_ID} disabled`) }));
  expect(risks).toContainEqual(expect.objectContaining({ code: 'rule-newly-failing', message: expect.stringContaining('rule LogStreamsExpireAfter90Days now fails') }));
});

test('a rule keeps its id when its days change: base and head pair by id alone', () => {
  const head = synthesizedWorkspace();
  made.push(head);
  editStack(head, TENANT, (json) => {
    const config = Object.values(json.resource.aws_s3_bucket_lifecycle_configuration)[0] as { rule: { id: string; expiration: { days: number }[] }[] };
    config.rule.find((r) => r.id === RULE_ID)!.expiration[0].days = 60;
  });
  const review = reviewSides(side(base, 'main'), side(head, 'head'));
  const risks = review.tenants.find((t) => t.tenant === TENANT)!.risks.filter((r) => r.code === 'retention-changed');
  expect(risks).toEqual([expect.objectContaining({ before: 90, after: 60, attribute: expect.stringContaining(`(${RULE_ID})`) })]);
});
