/**
 * plan-review against REAL Terraform plans, made offline with the terraform binary and the
 * provider mirror (test/helpers/plan-pair.ts builds the state base would leave). Checks that our
 * own classification agrees with Terraform's, and that given the plan, the review uses its actions.
 * Where the binary or the mirror is missing, a loud SKIPPED line says so.
 */
import { rmSync } from 'node:fs';
import { reviewSides } from '../../review/review';
import { diffStacks } from '../../review/diff';
import { actionOf, type PlanDocument } from '../../review/plan-docs';
import { readOutput } from '../../review/read-output';
import { ras } from '../helpers/cli';
import { buildBaseState, planAgainst, writePlan, type BaseState } from '../helpers/plan-pair';
import { findTerraform, type TerraformToolchain } from '../helpers/terraform';
import type { Workspace } from '../helpers/workspace';
import { editFleet, editStack, renameResource, side, stackFile, synthesizedWorkspace } from './sides';

const found = findTerraform();
const tf: TerraformToolchain | undefined = 'missing' in found ? undefined : found;
if (tf === undefined) {
  const line = `SKIPPED: ${(found as { missing: string }).missing}; plan-review's real-plan tests did not run`;
  process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
}
const describeIfTerraform = tf === undefined ? describe.skip : describe;
const TENANT = 'sakura-trading';

describeIfTerraform('real terraform plans of head against the state base leaves', () => {
  let base: Workspace;
  let head: Workspace;
  let state: BaseState;
  let plan: PlanDocument;

  beforeAll(async () => {
    base = synthesizedWorkspace();
    // A fleet change every active tenant feels: the operations network moves and the gateway image
    // is re-pinned; plus one contract change for this tenant (more terminals: a bigger instance).
    head = synthesizedWorkspace((ws) => {
      editFleet(ws, ['operationsCidr'], '10.254.0.0/24');
      editFleet(ws, ['regions', 'ap-northeast-1', 'gatewayImageId'], 'ami-0feedface00000001');
      ws.edit(TENANT, ['gateway', 'sizing', 'terminals'], 240);
      ws.edit(TENANT, ['gateway', 'sizing', 'requestsPerSecond'], 400);
    });
    state = await buildBaseState(tf!, stackFile(base, TENANT));
    plan = await planAgainst(tf!, state, stackFile(head, TENANT));
  }, 600000);
  afterAll(() => {
    base?.remove();
    head?.remove();
    if (state !== undefined) rmSync(state.dir, { recursive: true, force: true });
  });

  test('base planned against its own built state changes nothing', async () => {
    const again = await planAgainst(tf!, state, stackFile(base, TENANT));
    const changing = again.resource_changes.filter((rc: any) => rc.change.actions.join() !== 'no-op').map((rc: any) => rc.address);
    expect(changing).toEqual([]);
  });

  test("our classification agrees with Terraform's, address by address", () => {
    const ours = diffStacks(readOutput(`${base.dir}/cdktf.out`).get(TENANT)!.config, readOutput(`${head.dir}/cdktf.out`).get(TENANT)!.config);
    const theirs = (plan.resource_changes ?? []).flatMap((rc) => {
      const a = actionOf(rc);
      return a === undefined ? [] : [`${rc.address} ${a}`];
    });
    expect(ours.map((c) => `${c.address} ${c.action}`).sort()).toEqual(theirs.sort());
    // The facts the comparison rests on, stated plainly:
    const instance = plan.resource_changes!.find((rc) => rc.type === 'aws_instance')!;
    expect(instance.change.actions).toEqual(['delete', 'create']);
    expect(instance.change.replace_paths).toEqual([['ami']]);
  });

  test('given the plan, the review reports Terraform actions and flags the gateway replacement', () => {
    const review = reviewSides(side(base, 'base'), side(head, 'head'), { plans: new Map([[TENANT, plan]]) });
    const t = review.tenants.find((x) => x.tenant === TENANT)!;
    expect(t.source).toBe('terraform-plan');
    expect(t.changes.every((c) => c.source === 'terraform-plan')).toBe(true);
    const instance = t.changes.find((c) => c.type === 'aws_instance')!;
    expect(instance.action).toBe('replace');
    expect(instance.attributes.find((a) => a.path === 'ami')).toMatchObject({ before: 'ami-0c0ffee0123456789', after: 'ami-0feedface00000001', forcesReplacement: true });
    expect(t.risks.map((r) => r.code)).toEqual(expect.arrayContaining(['gateway-destroyed', 'ingress-widened']));
    expect(t.serviceImpact).toContain('gateway-interrupted');
  });

  test('a new VPC range: the replacement cascades the same way in both', async () => {
    const moved = synthesizedWorkspace((ws) => ws.edit(TENANT, ['network', 'vpcCidr'], '10.64.9.0/24'));
    try {
      const theirs = await planAgainst(tf!, state, stackFile(moved, TENANT));
      const ours = diffStacks(readOutput(`${base.dir}/cdktf.out`).get(TENANT)!.config, readOutput(`${moved.dir}/cdktf.out`).get(TENANT)!.config);
      const actions = (theirs as PlanDocument).resource_changes!.flatMap((rc) => {
        const a = actionOf(rc);
        return a === undefined ? [] : [`${rc.address} ${a}`];
      });
      expect(ours.map((c) => `${c.address} ${c.action}`).sort()).toEqual(actions.sort());
      expect(ours.filter((c) => c.action === 'replace').map((c) => c.type)).toEqual(expect.arrayContaining(['aws_vpc', 'aws_subnet', 'aws_security_group', 'aws_instance']));
    } finally {
      moved.remove();
    }
  }, 120000);

  test('a termination: the gateway side is destroyed, the archive updated, the same in both', async () => {
    const ended = synthesizedWorkspace((ws) => {
      ws.edit(TENANT, ['status'], 'terminated');
      ws.edit(TENANT, ['terminationDate'], '2026-11-20');
    });
    try {
      const theirs = (await planAgainst(tf!, state, stackFile(ended, TENANT))) as PlanDocument;
      const ours = diffStacks(readOutput(`${base.dir}/cdktf.out`).get(TENANT)!.config, readOutput(`${ended.dir}/cdktf.out`).get(TENANT)!.config);
      const actions = theirs.resource_changes!.flatMap((rc) => {
        const a = actionOf(rc);
        return a === undefined ? [] : [`${rc.address} ${a}`];
      });
      expect(ours.map((c) => `${c.address} ${c.action}`).sort()).toEqual(actions.sort());
      expect(ours.find((c) => c.type === 'aws_instance')?.action).toBe('destroy');
      expect(ours.find((c) => c.type === 'aws_s3_bucket')?.action).toBe('update');
    } finally {
      ended.remove();
    }
  }, 120000);

  test('a renamed log bucket: Terraform refuses (prevent_destroy), and the review says why', async () => {
    // A new prefix renames the image pipeline too (RAS106): its pinned builds are renamed with it.
    const renamed = synthesizedWorkspace((ws) => {
      editFleet(ws, ['namePrefix'], 'ras-next');
      ws.write('fleet.yaml', ws.read('fleet.yaml').replaceAll('image/ras-prod-gateway/', 'image/ras-next-gateway/'));
    });
    try {
      await expect(planAgainst(tf!, state, stackFile(renamed, TENANT))).rejects.toThrow(
        /Instance cannot be destroyed[\s\S]*aws_s3_bucket\.LogArchive_Bucket_4CEEDFB3 has\s+lifecycle\.prevent_destroy/,
      );
      const review = reviewSides(side(base, 'base'), side(renamed, 'head'));
      const risk = review.tenants.find((t) => t.tenant === TENANT)!.risks.find((r) => r.address === 'aws_s3_bucket.LogArchive_Bucket_4CEEDFB3')!;
      expect(risk).toMatchObject({ code: 'log-archive-destroyed', attribute: 'bucket' });
      expect(risk.message).toContain('prevent_destroy');
    } finally {
      renamed.remove();
    }
  }, 120000);

  test('a gateway renamed without a moved block: destroy + create and the knock-on changes, the same in both', async () => {
    const renamed = synthesizedWorkspace();
    editStack(renamed, TENANT, (json) => renameResource(json, 'aws_instance', 'Gateway_Instance_99B62CB0', 'Gateway_Server_0000BBBB'));
    try {
      const theirs = (await planAgainst(tf!, state, stackFile(renamed, TENANT))) as PlanDocument;
      const ours = diffStacks(readOutput(`${base.dir}/cdktf.out`).get(TENANT)!.config, readOutput(`${renamed.dir}/cdktf.out`).get(TENANT)!.config);
      const actions = theirs.resource_changes!.flatMap((rc) => {
        const a = actionOf(rc);
        return a === undefined ? [] : [`${rc.address} ${a}`];
      });
      expect(ours.map((c) => `${c.address} ${c.action}`).sort()).toEqual(actions.sort());
      // What Terraform does, stated plainly: the hand-off re-runs, the address, route and alarms follow.
      expect(actions).toEqual(
        expect.arrayContaining([
          'aws_instance.Gateway_Instance_99B62CB0 destroy',
          'aws_instance.Gateway_Server_0000BBBB add',
          'terraform_data.GatewayConfiguration_Playbook_671D6EAF replace',
          'aws_eip.Gateway_PublicIp_9CBDFD3D update',
          'aws_route.Network_Route-backbone-client-pool_40CBCF91 update',
          'aws_cloudwatch_metric_alarm.Gateway_Alarms_Cpu_AF16BAF6 update',
        ]),
      );
      // Given the plan, the review still names the rename (the plan alone cannot).
      const review = reviewSides(side(base, 'base'), side(renamed, 'head'), { plans: new Map([[TENANT, theirs]]) });
      const gone = review.tenants.find((t) => t.tenant === TENANT)!.changes.find((c) => c.address === 'aws_instance.Gateway_Instance_99B62CB0')!;
      expect(gone).toMatchObject({ action: 'destroy', movedTo: 'aws_instance.Gateway_Server_0000BBBB', movedWithoutBlock: true, source: 'terraform-plan' });
    } finally {
      renamed.remove();
    }
  }, 120000);

  test('the CLI takes the plan with --plan and exits 1 on the risk', async () => {
    const file = writePlan(plan, TENANT);
    const r = await ras(['plan-review', '--base', `${base.dir}/cdktf.out`, '--head', `${head.dir}/cdktf.out`, '--plan', `${TENANT}=${file}`, '--format', 'json'], base.dir);
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout);
    const t = json.tenants.find((x: any) => x.tenant === TENANT);
    expect(t.source).toBe('terraform-plan');
    expect(t.changes.find((c: any) => c.type === 'aws_instance').action).toBe('replace');
  });
});
