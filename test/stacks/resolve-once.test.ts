/**
 * TenantStack resolves its document in one pass (stacks/synth-speed.ts): the result must be
 * exactly cdktf's own two-pass TerraformStack.toTerraform, for every example tenant and for
 * synthetic ones of every kind (terminated, legacy protocols, Osaka), and cdktf's own must take
 * over when an override holds a token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fn, Testing, TerraformStack } from 'cdktf';
import { writeSyntheticFleet } from '../../bench/generate';
import { loadFleet } from '../../contract/load';
import { toTerraformResolvedOnce } from '../../stacks/synth-speed';
import { TenantStack } from '../../stacks/tenant-stack';
import { exampleFleet } from '../helpers/synth';
import { REPO } from '../helpers/workspace';

const dir = mkdtempSync(join(tmpdir(), 'ras-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const examples = exampleFleet();
const synthetic = loadFleet(writeSyntheticFleet(dir, 12, join(REPO, 'fleet.yaml')));

test.each([...examples.tenants.map((t) => [t.id, examples] as const), ...synthetic.tenants.map((t) => [t.id, synthetic] as const)])(
  '%s: one pass gives cdktf’s own document',
  (id, fleet) => {
    const stack = new TenantStack(Testing.app(), { tenant: fleet.tenants.find((t) => t.id === id)!, fleet: fleet.settings });
    const ours = stack.toTerraform();
    expect(ours).toEqual(TerraformStack.prototype.toTerraform.call(stack));
    expect(Object.keys(ours.resource).length).toBeGreaterThan(0);
  },
);

test('an override holding a token is left to cdktf’s own two passes', () => {
  const stack = new TenantStack(Testing.app(), { tenant: examples.tenants[0], fleet: examples.settings });
  stack.addOverride('terraform.backend.s3.key', Fn.lower('TENANTS/X'));
  expect(toTerraformResolvedOnce(stack)).toBeUndefined();
  expect(stack.toTerraform().terraform.backend.s3.key).toBe('${lower("TENANTS/X")}');
});
