/**
 * plan-review on real pairs of outputs: the examples synthesized before and after a change.
 * Fleet settings stand in for construct changes that touch every tenant; contract edits for
 * changes that touch one; mocked commitments and edited stacks for code changes no contract can make.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from '../../review/markdown';
import { buildNotices } from '../../review/notices';
import { reviewSides } from '../../review/review';
import { evaluateWithPolicies } from '../../review/rules';
import type { Review, TenantReview } from '../../review/types';
import { Workspace } from '../helpers/workspace';
import { editFleet, editStack, renameResource, side, synthesizedWorkspace } from './sides';

let base: Workspace;
const made: Workspace[] = [];
beforeAll(() => {
  base = synthesizedWorkspace();
});
afterAll(() => [base, ...made].forEach((w) => w.remove()));

function reviewAgainst(edit: (ws: Workspace) => void, after?: (ws: Workspace) => void): Review {
  const head = synthesizedWorkspace(edit);
  made.push(head);
  after?.(head);
  return reviewSides(side(base, 'main'), side(head, 'head'));
}

function tenant(review: Review, id: string): TenantReview {
  const t = review.tenants.find((x) => x.tenant === id);
  if (t === undefined) throw new Error(`${id} has no changes; changed: ${review.tenants.map((x) => x.tenant).join(', ')}`);
  return t;
}

const codes = (t: TenantReview) => [...new Set(t.risks.map((r) => r.code))].sort();

describe('no-op', () => {
  test('the same contracts synthesized again: no changes, no risk, "No changes."', () => {
    const head = synthesizedWorkspace();
    made.push(head);
    const review = reviewSides(side(base, 'main'), side(head, 'head'), { evaluate: evaluateWithPolicies });
    expect(review.tenants).toEqual([]);
    expect(review.unchanged).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
    expect(review.risky).toBe(false);
    expect(renderMarkdown(review)).toContain('**No changes.** 4 tenant(s) unchanged.');
    expect(buildNotices(review)).toEqual([]);
  });
});

describe('a change touching every tenant', () => {
  test('a new AWS account id updates every tenant’s key and bucket policies, without risk', () => {
    const review = reviewAgainst((ws) => {
      editFleet(ws, ['accountId'], '444455556666');
      // The image pipeline lives in the account too (RAS106): its pinned builds move with it.
      ws.write('fleet.yaml', ws.read('fleet.yaml').replaceAll(':111122223333:image/', ':444455556666:image/'));
    });
    expect(review.tenants.map((t) => t.tenant).sort()).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
    for (const t of review.tenants) {
      const policy = t.changes.find((c) => c.type === 'aws_s3_bucket_policy')!;
      expect(policy.action).toBe('update');
      expect(policy.attributes).toContainEqual(
        expect.objectContaining({ path: 'policy.Statement[1].Condition.StringEquals.aws:SourceAccount', before: '111122223333', after: '444455556666' }),
      );
      expect(t.risks).toEqual([]);
      expect(t.controls).toEqual(expect.arrayContaining(['18.1.3']));
    }
    expect(review.risky).toBe(false);
  });

  test('tenants changed alike share one table row', () => {
    const review = reviewAgainst((ws) => editFleet(ws, ['operationsCidr'], '10.254.0.0/24'));
    expect(review.tenants.map((t) => t.tenant).sort()).toEqual(['kitakaze-logistics', 'sakura-trading', 'tsubame-travel']);
    const md = renderMarkdown(review);
    // Updated: the management rules; replaced: two routes and the gateway playbook hand-off (its configuration hash differs per tenant).
    // 3 updates: the gateway's user data (sshd AllowUsers names the operations CIDR) changes too.
    expect(md).toMatch(/\| `kitakaze-logistics`, `sakura-trading`, `tsubame-travel` \| 0 \| 3 \| 3 \| 0 \| 0 \|/);
    expect(md).toContain('<sha256>');
    expect(md).toContain('3 tenants changed alike');
  });
});

describe('a contract change touching one tenant', () => {
  test('more terminals: the gateway grows in place, the tenant is told, nothing is risky', () => {
    const review = reviewAgainst((ws) => ws.edit('sakura-trading', ['gateway', 'sizing', 'requestsPerSecond'], 400));
    expect(review.tenants.map((t) => t.tenant)).toEqual(['sakura-trading']);
    const t = tenant(review, 'sakura-trading');
    const instance = t.changes.find((c) => c.type === 'aws_instance')!;
    expect(instance).toMatchObject({ action: 'update', source: 'config' });
    expect(instance.attributes).toContainEqual({ path: 'instance_type', before: 'c6i.large', after: 'c6i.xlarge', forcesReplacement: false });
    // Everything else is bookkeeping: the declared sizing is tagged (12.1.3 evidence) and alarms follow the bandwidth.
    expect(instance.attributes.filter((a) => a.path !== 'instance_type').every((a) => a.path.startsWith('tags_all.ras:declared-'))).toBe(true);
    expect(instance.controls).toContain('12.1.3');
    expect(t.risks).toEqual([]);
    expect(t.serviceImpact).toEqual(['gateway-restarted']);
    const [notice] = buildNotices(review, { window: '2026-12-01 02:00-04:00 JST' });
    expect(notice.tenant).toBe('sakura-trading');
    expect(notice.recipients).toEqual(['it-admin@sakura-trading.example', 'helpdesk@sakura-trading.example']);
    expect(notice.ja.body).toContain('RAG-0001001（東京ゲートウェイ）');
    expect(notice.ja.body).toContain('再起動');
    expect(notice.en.body).toContain('2026-12-01 02:00-04:00 JST');
    expect(notice.en.body).toContain('restarted');
  });

  test('a label text change is a tag-only update: not risky, no notice', () => {
    const review = reviewAgainst((ws) => ws.edit('sakura-trading', ['labels', 'RAG-0001001'], '東京第二ゲートウェイ'));
    expect(review.tenants.map((t) => t.tenant)).toEqual(['sakura-trading']);
    const t = tenant(review, 'sakura-trading');
    expect(t.changes.length).toBeGreaterThan(5);
    for (const c of t.changes) {
      expect(c.action).toBe('update');
      expect(c.attributes).toEqual([{ path: 'tags_all.ras:label:RAG-0001001', before: '東京ゲートウェイ', after: '東京第二ゲートウェイ', forcesReplacement: false }]);
    }
    expect(t.controls).toContain('8.2.2');
    expect(review.risky).toBe(false);
    expect(t.serviceImpact).toEqual([]);
    expect(buildNotices(review)).toEqual([]);
    expect(renderMarkdown(review)).toContain('**No risk found.** 1 tenant(s) change.');
  });
});

describe('risky changes are flagged', () => {
  test('a re-pinned gateway image replaces the gateway (ami forces replacement)', () => {
    const review = reviewAgainst((ws) => editFleet(ws, ['regions', 'ap-northeast-1', 'gatewayImageId'], 'ami-0feedface00000001'));
    const t = tenant(review, 'sakura-trading');
    expect(t.risks).toContainEqual(expect.objectContaining({ code: 'gateway-destroyed', address: 'aws_instance.Gateway_Instance_99B62CB0', attribute: 'ami' }));
    // The dependants follow: the EIP and the alarms point at a new instance id.
    expect(t.changes.find((c) => c.type === 'aws_eip')).toMatchObject({ action: 'update' });
    expect(t.serviceImpact).toContain('gateway-interrupted');
    expect(review.risky).toBe(true);
  });

  test('a termination stops the service: the gateway is destroyed and the operators are told', () => {
    const review = reviewAgainst((ws) => {
      ws.edit('sakura-trading', ['status'], 'terminated');
      ws.edit('sakura-trading', ['terminationDate'], '2026-11-20');
    });
    const t = tenant(review, 'sakura-trading');
    expect(codes(t)).toEqual(['gateway-destroyed']);
    expect(t.changes.find((c) => c.type === 'aws_s3_bucket_lifecycle_configuration')?.attributes).toContainEqual(
      expect.objectContaining({ after: '2026-12-30T00:00:00Z' }),
    );
    expect(t.serviceImpact).toEqual(['service-stopped', 'data-erasure-changed']);
    const [notice] = buildNotices(review);
    expect(notice.ja.body).toContain('停止・撤去');
    expect(notice.en.body).toContain('stopped and removed');
  });

  test('a removed tenant destroys its log archive and key', () => {
    const review = reviewAgainst((ws) => rmSync(ws.tenantFile('minato-design')));
    const t = tenant(review, 'minato-design');
    expect(t.stack).toBe('removed');
    expect(t.changes.every((c) => c.action === 'destroy')).toBe(true);
    expect(codes(t)).toEqual(['log-archive-destroyed']);
    expect(t.risks.map((r) => r.address).sort()).toEqual(['aws_kms_key.TenantKey_28B99D31', 'aws_s3_bucket.LogArchive_Bucket_4CEEDFB3']);
    expect(t.serviceImpact).toEqual(['service-stopped']);
  });

  test('PPTP enabled for one tenant: new internet ingress, and the summary names tenant, resource, attribute and control', () => {
    const review = reviewAgainst((ws) => {
      ws.edit('sakura-trading', ['gateway', 'protocols'], ['ikev2', 'l2tp-ipsec', 'pptp']);
      ws.edit('sakura-trading', ['gateway', 'crypto'], { profile: 'legacy', legacyOptIn: { approvedBy: 'CIO', reason: 'old handhelds' } });
    });
    expect(review.tenants.map((t) => t.tenant)).toEqual(['sakura-trading']);
    const t = tenant(review, 'sakura-trading');
    const widened = t.risks.filter((r) => r.code === 'ingress-widened');
    expect(widened.map((r) => r.after).sort()).toEqual(['47/0-65535 from 0.0.0.0/0 (the whole internet)', 'tcp/1723 from 0.0.0.0/0 (the whole internet)']);
    expect(widened[0].controls).toEqual(['CLD9.5.2', '13.1.3']);
    // The rendered gateway variables say the rest: a weaker profile, the opt-in, PPTP, and the
    // legacy profile's weak proposals (from ansible/roles/strongswan/defaults).
    const crypto = t.risks.filter((r) => r.code === 'crypto-weakened');
    expect(crypto.map((r) => r.attribute)).toEqual(
      expect.arrayContaining(['strongswan_crypto_profile', 'strongswan_legacy_opt_in', 'strongswan_pptp_enabled', 'strongswan_crypto_profiles.legacy.ikev1_proposals']),
    );
    expect(crypto.find((r) => r.attribute === 'strongswan_crypto_profile')).toMatchObject({ before: 'strong', after: 'legacy', controls: ['10.1.1', '18.1.5'] });
    const md = renderMarkdown(review);
    const line = md.split('\n').find((l) => l.includes('tcp/1723'))!;
    expect(line).toContain('`sakura-trading`');
    expect(line).toContain('aws_vpc_security_group_ingress_rule.Gateway_Ingress-internet-pptp');
    expect(line).toContain('cidr_ipv4');
    expect(line).toContain('CLD9.5.2');
  });

  test('a widened management CIDR is ingress widened, shown before and after', () => {
    const review = reviewAgainst((ws) => editFleet(ws, ['operationsCidr'], '10.255.0.0/16'));
    const r = tenant(review, 'sakura-trading').risks.find((x) => x.code === 'ingress-widened' && String(x.after).startsWith('tcp/22'))!;
    expect(r).toMatchObject({ before: 'tcp/22 from 10.255.0.0/24', after: 'tcp/22 from 10.255.0.0/16' });
  });

  test('a region change replaces everything and is flagged with 6.1.3 and 18.1.1', () => {
    const review = reviewAgainst((ws) => ws.edit('sakura-trading', ['region'], 'ap-northeast-3'));
    const t = tenant(review, 'sakura-trading');
    expect(t.risks).toContainEqual(expect.objectContaining({ code: 'region-changed', before: 'ap-northeast-1', after: 'ap-northeast-3', controls: ['6.1.3', '18.1.1'] }));
    expect(t.changes.every((c) => c.action === 'replace')).toBe(true);
    expect(codes(t)).toEqual(expect.arrayContaining(['gateway-destroyed', 'log-archive-destroyed', 'region-changed']));
    // One description of the move everywhere it is told: the risk line, each resource, the notice.
    const move = 'every resource is replaced: destroyed in ap-northeast-1, then created anew in ap-northeast-3';
    expect(t.risks.find((r) => r.code === 'region-changed')?.message).toContain(move);
    expect(t.changes.filter((c) => !c.reason?.includes(move))).toEqual([]);
    expect(renderMarkdown(review)).not.toMatch(/left behind/);
    const [notice] = buildNotices(review);
    expect(notice.en.body).toContain('rebuilt in the new region and removed from the old one');
    expect(notice.ja.body).toContain('元のリージョンの設備は削除します');
    expect(notice.en.body).not.toContain('in Japan');
  });

  test('a scope change (grandfathered tenant moved onto the private backbone) is flagged', () => {
    const review = reviewAgainst((ws) => ws.edit('kitakaze-logistics', ['network', 'linkedService'], 'private-backbone'));
    const t = tenant(review, 'kitakaze-logistics');
    expect(t.risks).toContainEqual(expect.objectContaining({ code: 'scope-changed', before: 'out-of-scope', after: 'in-scope' }));
  });

  test('a shorter log retention in the code is flagged below the 90-day promise', () => {
    const head = synthWithCommitments({ LOG_SEARCH_RETENTION_DAYS: 30 });
    const review = reviewSides(side(base, 'main'), side(head, 'head'));
    expect(review.tenants.map((t) => t.tenant).sort()).toEqual(['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel']);
    const r = tenant(review, 'sakura-trading').risks.filter((x) => x.code === 'retention-changed');
    expect(r).toHaveLength(3);
    expect(r[0]).toMatchObject({ address: 'aws_s3_bucket_lifecycle_configuration.LogArchive_Lifecycle_D9FE28CB', before: 90, after: 30, controls: ['CLD8.1.5', '12.4.1'] });
    expect(r[0].message).toContain('below the promise');
  });

  test('a retention below the promise: the notice says so, per log, in Japanese and English', () => {
    const head = synthWithCommitments({ LOG_SEARCH_RETENTION_DAYS: 30, COMBINED_DOWNLOAD_RETENTION_DAYS: 7 });
    const review = reviewSides(side(base, 'main'), side(head, 'head'));
    const notice = buildNotices(review).find((n) => n.tenant === 'sakura-trading')!;
    expect(notice.ja.body).toContain('ログの保存期間の設定が変わります。');
    expect(notice.ja.body).toContain('VPN接続ログ: 保存期間が90日から30日に短くなり、お約束している90日を下回ります。');
    expect(notice.ja.body).toContain('ログの一括ダウンロード（3種の結合ファイル）: 保存期間が30日から7日に短くなり、お約束している30日を下回ります。');
    expect(notice.en.body).toContain('VPN connection log: retention shortened from 90 to 30 days, below the promised 90 days.');
    expect(notice.en.body).toContain('Combined log download: retention shortened from 30 to 7 days, below the promised 30 days.');
    expect(notice.en.body.match(/below the promised/g)).toHaveLength(4);
  });

  test('an erasure date moved later is flagged (CLD8.1.5)', () => {
    const head = synthWithCommitments({ ERASURE_SAFETY_MARGIN_DAYS: 0 });
    const review = reviewSides(side(base, 'main'), side(head, 'head'));
    expect(review.tenants.map((t) => t.tenant)).toEqual(['minato-design']);
    const t = tenant(review, 'minato-design');
    expect(t.risks).toEqual([
      expect.objectContaining({ code: 'erasure-weakened', before: '2026-12-25T00:00:00Z', after: '2026-12-30T00:00:00Z', controls: ['CLD8.1.5'] }),
    ]);
    expect(t.serviceImpact).toEqual(['data-erasure-changed']);
  });

  test('the TLS-only bucket policy removed is crypto weakened', () => {
    const review = reviewAgainst(
      () => undefined,
      (ws) =>
        editStack(ws, 'minato-design', (json) => {
          const policy = json.resource.aws_s3_bucket_policy.LogArchive_Policy_A06CF80A;
          const doc = JSON.parse(policy.policy);
          doc.Statement = doc.Statement.filter((s: any) => s.Sid !== 'DenyInsecureTransport');
          policy.policy = JSON.stringify(doc);
        }),
    );
    const t = tenant(review, 'minato-design');
    expect(t.risks).toEqual([expect.objectContaining({ code: 'crypto-weakened', address: 'aws_s3_bucket_policy.LogArchive_Policy_A06CF80A', attribute: 'policy', controls: ['18.1.3', '18.1.5'] })]);
  });

  test('with the compliance rules run on both sides, the rule the change breaks is newly failing', () => {
    const head = synthesizedWorkspace();
    made.push(head);
    editStack(head, 'minato-design', (json) => {
      const policy = json.resource.aws_s3_bucket_policy.LogArchive_Policy_A06CF80A;
      const doc = JSON.parse(policy.policy);
      doc.Statement = doc.Statement.filter((s: any) => s.Sid !== 'DenyInsecureTransport');
      policy.policy = JSON.stringify(doc);
    });
    const review = reviewSides(side(base, 'main'), side(head, 'head'), { evaluate: evaluateWithPolicies });
    expect(review.rulesEvaluated).toBe(true);
    expect(review.tenants.map((t) => t.tenant)).toEqual(['minato-design']);
    const fresh = tenant(review, 'minato-design').risks.filter((r) => r.code === 'rule-newly-failing');
    expect(fresh.map((r) => r.message)).toEqual([expect.stringContaining('LogArchiveRequiresTls')]);
    expect(fresh[0].controls).toEqual(expect.arrayContaining(['18.1.5']));
    expect(renderMarkdown(review)).toContain('1 finding(s) newly failing');
  });

  test('gateway variables: a weaker cipher profile and PPTP switched on are crypto weakened', () => {
    const vars = (profile: string, pptp: boolean) =>
      `# Generated by ras-tenant-factory\nstrongswan_crypto_profile: !unsafe "${profile}"\nstrongswan_legacy_opt_in: ${profile === 'legacy'}\nstrongswan_pptp_enabled: ${pptp}\ntime_timezone: !unsafe "Asia/Tokyo"\n`;
    const write = (ws: Workspace, text: string) => {
      const dir = join(ws.dir, 'cdktf.out', 'stacks', 'sakura-trading', 'ansible', 'host_vars');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'sakura-trading-gateway.yml'), text);
    };
    write(base, vars('strong', false));
    try {
      const review = reviewAgainst(() => undefined, (ws) => write(ws, vars('legacy', true)));
      const t = tenant(review, 'sakura-trading');
      expect(t.gatewayVars.map((v) => v.path)).toEqual(['strongswan_crypto_profile', 'strongswan_legacy_opt_in', 'strongswan_pptp_enabled']);
      // The three switches, then the legacy profile's weak proposals (role defaults of this checkout).
      expect(t.risks.map((r) => [r.code, r.attribute]).slice(0, 3)).toEqual([
        ['crypto-weakened', 'strongswan_crypto_profile'],
        ['crypto-weakened', 'strongswan_legacy_opt_in'],
        ['crypto-weakened', 'strongswan_pptp_enabled'],
      ]);
      expect(t.risks.slice(3).every((r) => r.code === 'crypto-weakened' && r.attribute?.startsWith('strongswan_crypto_profiles.legacy.'))).toBe(true);
      expect(t.risks[0].controls).toEqual(['10.1.1', '18.1.5']);
      expect(t.serviceImpact).toEqual(['crypto-changed']);
    } finally {
      rmSync(join(base.dir, 'cdktf.out', 'stacks', 'sakura-trading', 'ansible'), { recursive: true, force: true });
    }
  });
});

describe('gateway role defaults', () => {
  const defaults = (ikev1: string[]) =>
    ['strongswan_crypto_profile: strong', 'strongswan_crypto_profiles:', '  strong:', '    ikev1_proposals:', ...ikev1.map((p) => `      - ${p}`), ''].join('\n');
  const hostVars = '# Generated by ras-tenant-factory\nstrongswan_crypto_profile: !unsafe "strong"\n';
  const setUp = (ws: Workspace, ikev1: string[]) => {
    mkdirSync(join(ws.dir, 'ansible', 'roles', 'strongswan', 'defaults'), { recursive: true });
    writeFileSync(join(ws.dir, 'ansible', 'roles', 'strongswan', 'defaults', 'main.yml'), defaults(ikev1));
    const dir = join(ws.dir, 'cdktf.out', 'stacks', 'sakura-trading', 'ansible', 'host_vars');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sakura-trading-gateway.yml'), hostVars);
  };

  test("a weak proposal added to the selected profile in the role's defaults is crypto weakened", () => {
    const before = synthesizedWorkspace();
    const after = synthesizedWorkspace();
    made.push(before, after);
    setUp(before, ['aes256-sha256-modp2048', 'aes256-sha1-modp2048']);
    setUp(after, ['aes256-sha256-modp2048', 'aes256-sha1-modp2048', '3des-sha1-modp1024']);
    const t = tenant(reviewSides(side(before, 'main'), side(after, 'head')), 'sakura-trading');
    expect(t.gatewayVars.map((v) => v.path)).toEqual(['strongswan_crypto_profiles.strong.ikev1_proposals[2]']);
    expect(t.risks).toEqual([
      expect.objectContaining({ code: 'crypto-weakened', attribute: 'strongswan_crypto_profiles.strong.ikev1_proposals', message: 'crypto weakened: weak proposal added: 3des-sha1-modp1024', controls: ['10.1.1', '18.1.5'] }),
    ]);
  });
});

describe('gateway role defaults: proposal order', () => {
  test('moving a legacy proposal before a stronger one is crypto weakened, although no proposal was added', () => {
    const dir = (ws: Workspace, ikev1: string[]) => {
      mkdirSync(join(ws.dir, 'ansible', 'roles', 'strongswan', 'defaults'), { recursive: true });
      writeFileSync(join(ws.dir, 'ansible', 'roles', 'strongswan', 'defaults', 'main.yml'), ['strongswan_crypto_profile: strong', 'strongswan_crypto_profiles:', '  strong:', '    ikev1_proposals:', ...ikev1.map((p) => `      - ${p}`), ''].join('\n'));
      const hv = join(ws.dir, 'cdktf.out', 'stacks', 'sakura-trading', 'ansible', 'host_vars');
      mkdirSync(hv, { recursive: true });
      writeFileSync(join(hv, 'sakura-trading-gateway.yml'), '# Generated by ras-tenant-factory\nstrongswan_crypto_profile: !unsafe "strong"\n');
    };
    const before = synthesizedWorkspace();
    const after = synthesizedWorkspace();
    made.push(before, after);
    dir(before, ['aes256-sha256-modp2048', '3des-sha1-modp1024']);
    dir(after, ['3des-sha1-modp1024', 'aes256-sha256-modp2048']);
    const t = tenant(reviewSides(side(before, 'main'), side(after, 'head')), 'sakura-trading');
    expect(t.risks).toEqual([
      expect.objectContaining({
        code: 'crypto-weakened',
        attribute: 'strongswan_crypto_profiles.strong.ikev1_proposals',
        message: 'crypto weakened: proposal order weakened: aes256-sha256-modp2048 comes after the legacy proposal 3des-sha1-modp1024',
        controls: ['10.1.1', '18.1.5'],
      }),
    ]);
  });
});

describe('portal settings', () => {
  test('two-factor off, a wider source range and a looser lockout are portal weakened (9.2.3)', () => {
    const review = reviewAgainst((ws) => {
      ws.edit('sakura-trading', ['portal', 'twoFactorRequired'], false);
      ws.edit('sakura-trading', ['portal', 'allowedSourceCidrs'], ['203.0.113.0/24']);
      ws.edit('sakura-trading', ['portal', 'lockoutThreshold'], 10);
    });
    const t = tenant(review, 'sakura-trading');
    expect(t.changes).toEqual([]);
    expect(t.portal.map((p) => p.path)).toEqual(['allowedSourceCidrs[0]', 'lockoutThreshold', 'twoFactorRequired']);
    expect(t.risks.map((r) => [r.code, r.attribute, r.controls])).toEqual([
      ['portal-weakened', 'twoFactorRequired', ['9.2.3']],
      ['portal-weakened', 'lockoutThreshold', ['9.2.3']],
      ['portal-weakened', 'allowedSourceCidrs', ['9.2.3']],
    ]);
    expect(t.serviceImpact).toEqual(['portal-changed']);
  });

  test('a new operator is a portal change with a notice, not a risk', () => {
    const review = reviewAgainst((ws) =>
      ws.edit('sakura-trading', ['portal', 'operators'], [
        { id: 'it-admin', email: 'it-admin@sakura-trading.example', role: 'administrator' },
        { id: 'helpdesk', email: 'helpdesk@sakura-trading.example', role: 'operator' },
        { id: 'auditor', email: 'auditor@sakura-trading.example', role: 'operator' },
      ]),
    );
    const t = tenant(review, 'sakura-trading');
    expect(t.risks).toEqual([]);
    expect(t.controls).toEqual(['9.2.1', '9.2.2']);
    expect(buildNotices(review)[0].recipients).toContain('auditor@sakura-trading.example');
  });
});

describe('moved resources', () => {
  const rename = renameResource;

  test('a renamed log bucket without a moved block is a destroy in disguise', () => {
    const review = reviewAgainst(
      () => undefined,
      (ws) => editStack(ws, 'minato-design', (json) => rename(json, 'aws_s3_bucket', 'LogArchive_Bucket_4CEEDFB3', 'Archive_Bucket_0000AAAA')),
    );
    const t = tenant(review, 'minato-design');
    expect(t.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'destroy', address: 'aws_s3_bucket.LogArchive_Bucket_4CEEDFB3', movedTo: 'aws_s3_bucket.Archive_Bucket_0000AAAA', movedWithoutBlock: true }),
        expect.objectContaining({ action: 'add', address: 'aws_s3_bucket.Archive_Bucket_0000AAAA', movedFrom: 'aws_s3_bucket.LogArchive_Bucket_4CEEDFB3', movedWithoutBlock: true }),
      ]),
    );
    expect(t.counts).toMatchObject({ add: 1, destroy: 1, moved: 0 });
    // One flag for the rename, on the address Terraform destroys, saying how to keep the bucket.
    expect(t.risks.filter((r) => r.code === 'log-archive-destroyed')).toEqual([
      expect.objectContaining({ address: 'aws_s3_bucket.LogArchive_Bucket_4CEEDFB3', message: expect.stringContaining('renamed to aws_s3_bucket.Archive_Bucket_0000AAAA without a moved block') }),
    ]);
  });

  test('a renamed gateway without a moved block: destroy + create, and everything referencing it follows', () => {
    const review = reviewAgainst(
      () => undefined,
      (ws) => editStack(ws, 'sakura-trading', (json) => rename(json, 'aws_instance', 'Gateway_Instance_99B62CB0', 'Gateway_Server_0000BBBB')),
    );
    const t = tenant(review, 'sakura-trading');
    const actions = Object.fromEntries(t.changes.map((c) => [c.address, c.action]));
    expect(actions).toMatchObject({
      'aws_instance.Gateway_Instance_99B62CB0': 'destroy',
      'aws_instance.Gateway_Server_0000BBBB': 'add',
      // The hand-off re-runs: its replace trigger holds the instance id.
      'terraform_data.GatewayConfiguration_Playbook_671D6EAF': 'replace',
      'aws_eip.Gateway_PublicIp_9CBDFD3D': 'update',
      'aws_route.Network_Route-backbone-client-pool_40CBCF91': 'update',
      'aws_cloudwatch_metric_alarm.Gateway_Alarms_Cpu_AF16BAF6': 'update',
      'aws_cloudwatch_metric_alarm.Gateway_Alarms_StatusCheck_9F190817': 'update',
      // The carrier-side interface (closed mobile access) is attached to the new instance in place.
      'aws_network_interface.CarrierInterface_B0D6873B': 'update',
    });
    expect(t.counts).toEqual({ add: 1, update: 7, replace: 1, destroy: 1, moved: 0 });
    const eip = t.changes.find((c) => c.type === 'aws_eip')!;
    expect(eip.attributes).toEqual([expect.objectContaining({ path: 'instance', after: expect.stringContaining('created anew as aws_instance.Gateway_Server_0000BBBB') })]);
    expect(codes(t)).toEqual(['gateway-destroyed']);
    // Rebuilt, not stopped: the notice tells operators to reconnect, not that the contract ends.
    expect(t.serviceImpact).toEqual(expect.arrayContaining(['gateway-interrupted', 'network-changed']));
    expect(t.serviceImpact).not.toContain('service-stopped');
    const md = renderMarkdown(review);
    expect(md).toContain('| destroy | `aws_instance.Gateway_Instance_99B62CB0` (renamed to `aws_instance.Gateway_Server_0000BBBB`, no moved block) |');
  });

  test('with a moved block it is a plain move, not a risk', () => {
    const review = reviewAgainst(
      () => undefined,
      (ws) =>
        editStack(ws, 'minato-design', (json) => {
          rename(json, 'aws_s3_bucket', 'LogArchive_Bucket_4CEEDFB3', 'Archive_Bucket_0000AAAA');
          json.moved = [{ from: 'aws_s3_bucket.LogArchive_Bucket_4CEEDFB3', to: 'aws_s3_bucket.Archive_Bucket_0000AAAA' }];
        }),
    );
    const t = tenant(review, 'minato-design');
    expect(t.counts).toEqual({ add: 0, update: 0, replace: 0, destroy: 0, moved: 1 });
    expect(t.risks).toEqual([]);
  });
});

/** Synthesizes the examples with some commitments changed: a code change no contract can make. */
function synthWithCommitments(overrides: Record<string, unknown>): Workspace {
  const ws = new Workspace();
  made.push(ws);
  jest.isolateModules(() => {
    jest.doMock('../../commitments', () => ({ ...jest.requireActual('../../commitments'), ...overrides }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside isolateModules, after the mock
    const { synthTenants } = require('../../stacks/synth') as typeof import('../../stacks/synth');
    synthTenants({ paths: ws.paths, outdir: join(ws.dir, 'cdktf.out') });
  });
  return ws;
}

describe('Type B relay', () => {
  test('opening the relay to another destination is a risk flag naming the user group, host and port, with the access controls', () => {
    const review = reviewAgainst((ws) => {
      ws.edit('tsubame-travel', ['accessControl', 'hostGroups', 0, 'cidrs'], ['172.18.10.20/32', '172.18.10.21/32']);
      ws.edit('tsubame-travel', ['accessControl', 'serviceGroups', 0, 'services', 0, 'ports'], [443, 8443]);
    });
    const t = tenant(review, 'tsubame-travel');
    const risk = t.risks.find((r) => r.code === 'relay-destination-added');
    expect(risk).toMatchObject({ attribute: 'relay_routes', controls: ['9.4.1', 'CLD9.5.2'] });
    expect(risk?.message).toBe(
      'relay opened to another destination: back-office -> 172.18.10.20/32:8443, back-office -> 172.18.10.21/32:443, back-office -> 172.18.10.21/32:8443, ' +
        'counter-staff -> 172.18.10.20/32:8443, counter-staff -> 172.18.10.21/32:443, counter-staff -> 172.18.10.21/32:8443',
    );
  });

  test('narrowing the relay is no risk', () => {
    const review = reviewAgainst((ws) => ws.edit('tsubame-travel', ['accessControl', 'rules'], [{ userGroup: 'counter-staff', hostGroup: 'booking-web', serviceGroup: 'https' }]));
    expect(tenant(review, 'tsubame-travel').risks.filter((r) => r.code === 'relay-destination-added')).toEqual([]);
  });
});
