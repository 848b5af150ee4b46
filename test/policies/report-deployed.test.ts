/**
 * Reports with the deployed state beside the intended configuration (`ras report --states`,
 * `ras evidence --states`). The state is a real Terraform state, read with `terraform show -json`:
 * built offline by test/helpers/plan-pair.ts (no AWS here; the emulator's real applies are in
 * test/deploy). Then a retention rule is shortened in that state, as someone would behind
 * Terraform's back, and the reports must show the difference and the control it breaks, in both
 * languages, with both readings in the provenance.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, visibleText } from '../helpers/chromium';
import { ras } from '../helpers/cli';
import { englishSentences } from '../helpers/english';
import { buildBaseState, type BaseState } from '../helpers/plan-pair';
import { findTerraform, terraform, type TerraformToolchain } from '../helpers/terraform';
import type { Workspace } from '../helpers/workspace';
import { stackFile, synthesizedWorkspace } from '../review/sides';

const found = findTerraform();
const tf: TerraformToolchain | undefined = 'missing' in found ? undefined : found;
if (tf === undefined) {
  const line = `SKIPPED: ${(found as { missing: string }).missing}; the deployed-state report tests did not run`;
  process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
}
const describeIfTerraform = tf === undefined ? describe.skip : describe;
const TENANT = 'sakura-trading';

type Json = any;

/** The lifecycle rule that keeps a log stream 90 days, in a `terraform show -json` state. */
function ninetyDayRules(state: Json): Json[] {
  return state.values.root_module.resources
    .filter((r: Json) => r.type === 'aws_s3_bucket_lifecycle_configuration')
    .flatMap((r: Json) => r.values.rule)
    .filter((rule: Json) => rule.expiration?.[0]?.days === 90);
}

describeIfTerraform('reports with the deployed state', () => {
  let ws: Workspace;
  let base: BaseState;
  let states: string;
  let context: BrowserContext;
  let close: () => Promise<void> = async () => undefined;
  const report = (dir: string): Json => JSON.parse(readFileSync(join(ws.dir, dir, TENANT, 'report.json'), 'utf8'));

  beforeAll(async () => {
    ws = synthesizedWorkspace();
    base = await buildBaseState(tf!, stackFile(ws, TENANT));
    const shown = await terraform(tf!, base.dir, ['show', '-json']);
    const state = JSON.parse(shown.stdout);
    // The built state leaves user_data null (plan-pair.ts); AWS's provider stores its SHA-1.
    const intent = JSON.parse(readFileSync(stackFile(ws, TENANT), 'utf8'));
    for (const r of state.values.root_module.resources) {
      const declared = intent.resource?.[r.type]?.[r.name]?.user_data;
      if (typeof declared === 'string') r.values.user_data = createHash('sha1').update(declared).digest('hex');
      // Values only AWS knows are placeholders in the built state; where a rule reads one (the
      // region a resource landed in), write what AWS reports for the stack's region.
      if (typeof r.values.availability_zone === 'string' && r.values.availability_zone.startsWith('placeholder-')) r.values.availability_zone = 'ap-northeast-1a';
      if (typeof r.values.region === 'string' && r.values.region.startsWith('placeholder-')) r.values.region = 'ap-northeast-1';
    }
    states = join(ws.dir, 'states');
    mkdirSync(states);
    writeFileSync(join(states, `${TENANT}.json`), JSON.stringify(state));
    ({ context, close } = await launchChromium());
  }, 600_000);

  afterAll(async () => {
    await close();
    ws?.remove();
    if (base !== undefined) rmSync(base.dir, { recursive: true, force: true });
  });

  test('a state as intended: both readings in the provenance, no difference, every control the same', async () => {
    const r = await ras(['report', '--no-synth', '--states', 'states', '--outdir', 'same', '--quiet'], ws.dir);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const doc = report('same');
    const failing = doc.controls.flatMap((c: Json) => c.deployed.rules.map((x: Json) => ({ control: c.id, rule: x.id, findings: x.findings })));
    expect(failing).toEqual([]);
    expect(r.stdout).toContain(`${TENANT}/report.{en,ja}.{html,md}, report.json  (passed; deployed state: 0 difference(s), passed)`);
    expect(doc.provenance.evidence.map((e: Json) => e.kind)).toEqual(['intended_configuration', 'deployed_state']);
    expect(doc.provenance.evidence[1].source).toBe(join('states', `${TENANT}.json`));
    expect(doc.deployed.differences).toEqual([]);
    expect(doc.deployed.controlsDiffering).toEqual([]);
    expect(doc.controls.every((c: Json) => c.deployed.status === c.status && c.deployed.differs === false)).toBe(true);
    // A tenant without a state file is reported on its intent only.
    expect(JSON.parse(readFileSync(join(ws.dir, 'same', 'minato-design', 'report.json'), 'utf8')).deployed).toBeUndefined();
  });

  describe('a retention rule shortened to 30 days behind Terraform\'s back', () => {
    let drifted: Awaited<ReturnType<typeof ras>>;
    beforeAll(async () => {
      const file = join(states, `${TENANT}.json`);
      const state = JSON.parse(readFileSync(file, 'utf8'));
      const rules = ninetyDayRules(state);
      expect(rules.length).toBeGreaterThan(0);
      rules[0].expiration[0].days = 30;
      writeFileSync(file, JSON.stringify(state));
      drifted = await ras(['report', '--no-synth', '--states', 'states', '--outdir', 'drifted', '--quiet'], ws.dir);
    }, 120_000);

    test('the report names the difference and flags the control it breaks (12.4.1), beside the intended status', async () => {
      expect(drifted.exitCode).toBe(0);
      expect(drifted.stdout).toContain('(passed; deployed state: 1 difference(s), FAILED)');
      const doc = report('drifted');
      expect(doc.deployed.differences).toEqual([expect.objectContaining({ attribute: expect.stringMatching(/expiration.*days/), intended: '90', deployed: '30' })]);
      expect(doc.deployed.passed).toBe(false);
      expect(doc.deployed.controlsDiffering).toContain('12.4.1');
      const control = doc.controls.find((c: Json) => c.id === '12.4.1');
      expect(control.status).toBe('compliant');
      expect(control.deployed).toEqual(expect.objectContaining({ status: 'non_compliant', differs: true }));
      expect(control.deployed.rules.map((x: Json) => x.id)).toContain('LogStreamsExpireAfter90Days');

      const html = readFileSync(join(ws.dir, 'drifted', TENANT, 'report.en.html'), 'utf8');
      expect(html).toMatch(/id="control-12\.4\.1"[^]*?data-deployed-status="non_compliant" data-differs/);
      const md = readFileSync(join(ws.dir, 'drifted', TENANT, 'report.en.md'), 'utf8');
      expect(md).toContain('deployed: non-compliant **⚠ differs from the intended configuration**');
      // The overview counts the page's differences; the page shows the tenant's.
      const fleet = readFileSync(join(ws.dir, 'drifted', 'index.en.html'), 'utf8');
      expect(fleet).toContain(`<td data-drift="1">1</td>`);
      const page = readFileSync(join(ws.dir, 'drifted', 'fleet-page-0001.en.html'), 'utf8');
      expect(page).toContain(`data-tenant="${TENANT}"`);
      expect(page).toMatch(new RegExp(`data-tenant="${TENANT}"[^]*?data-drift="1"`));
      // The same as data: the overview counts, the page holds the tenant's two readings.
      const counts = JSON.parse(readFileSync(join(ws.dir, 'drifted', 'fleet.json'), 'utf8'));
      expect(counts.controls.find((c: Json) => c.id === '12.4.1').deployedDiffers).toBe(1);
      const data = JSON.parse(readFileSync(join(ws.dir, 'drifted', 'fleet-page-0001.json'), 'utf8'));
      const row = data.controls.find((c: Json) => c.id === '12.4.1');
      expect([row.statuses[TENANT], row.deployedStatuses[TENANT]]).toEqual(['compliant', 'non_compliant']);
    });

    test('the Japanese pages say it in Japanese, and the first screen shows both readings', async () => {
      for (const file of [join(TENANT, 'report.ja.html'), 'index.ja.html', 'fleet-page-0001.ja.html']) {
        const text = await visibleText(context, join(ws.dir, 'drifted', file));
        expect(englishSentences(text)).toEqual([]);
        expect(text).toContain('デプロイ済みの状態');
      }
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`file://${join(ws.dir, 'drifted', TENANT, 'report.ja.html')}`);
      const kinds = await page.$$eval('[data-evidence-kind]', (els) => els.filter((e) => e.getBoundingClientRect().bottom <= 900).map((e) => e.getAttribute('data-evidence-kind')));
      await page.close();
      expect(kinds).toEqual(['intended_configuration', 'deployed_state']);
    });

    test('the evidence pack holds the deployed reading with the state file\'s SHA-256, and its manifest covers it', async () => {
      const r = await ras(['evidence', '--no-synth', '--states', 'states', '--out', 'pack', '--quiet'], ws.dir);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const deployed = JSON.parse(readFileSync(join(ws.dir, 'pack', 'deployed.json'), 'utf8'));
      const sha = createHash('sha256').update(readFileSync(join(states, `${TENANT}.json`))).digest('hex');
      expect(deployed.tenants).toEqual([expect.objectContaining({ tenant: TENANT, sha256: sha, passed: false })]);
      expect(readFileSync(join(ws.dir, 'pack', 'MANIFEST.sha256'), 'utf8')).toMatch(/ {2}deployed\.json\n/);
    });

    test('a tag rewritten behind Terraform\'s back with markup is shown as text, never as markup', async () => {
      // State values are not contract data, but they reach the same pages: anyone with console
      // access can write a tag, and the deployed-state section prints it beside the intent.
      const hostile = '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) | **b** `c` ${x}';
      const state = JSON.parse(readFileSync(join(states, `${TENANT}.json`), 'utf8'));
      const tagged = state.values.root_module.resources.find((r: Json) => typeof r.values.tags?.Name === 'string');
      expect(tagged).toBeDefined();
      tagged.values.tags.Name = hostile;
      mkdirSync(join(ws.dir, 'hostile-states'));
      writeFileSync(join(ws.dir, 'hostile-states', `${TENANT}.json`), JSON.stringify(state));
      const r = await ras(['report', '--no-synth', '--states', 'hostile-states', '--outdir', 'hostile', '--quiet'], ws.dir);
      expect(r.exitCode).toBe(0);
      expect(report('hostile').deployed.differences).toContainEqual(expect.objectContaining({ attribute: 'tags["Name"]', deployed: hostile }));
      for (const lang of ['en', 'ja']) {
        expect(readFileSync(join(ws.dir, 'hostile', TENANT, `report.${lang}.html`), 'utf8')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        // As the browser builds the page: no element or attribute the value could have made.
        const page = await context.newPage();
        await page.goto(`file://${join(ws.dir, 'hostile', TENANT, `report.${lang}.html`)}`);
        const live = await page.$$eval('*', (els) =>
          els.flatMap((e) => [
            ...(['SCRIPT', 'IMG', 'IFRAME', 'OBJECT'].includes(e.tagName) ? [e.tagName] : []),
            ...Array.from(e.attributes).filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => `${e.tagName}[${a.name}]`),
          ]),
        );
        const cell = await page.$$eval('td', (tds) => tds.map((td) => td.textContent ?? '').filter((t) => t.includes('alert(1)')));
        await page.close();
        expect(live).toEqual([]);
        expect(cell).toEqual([hostile]);
        const md = readFileSync(join(ws.dir, 'hostile', TENANT, `report.${lang}.md`), 'utf8');
        expect(md).not.toMatch(/<script|<img|\]\(javascript:/);
        // The value stays in its own table cell: its pipe is escaped, so no new cell opens.
        const row = md.split('\n').find((l) => l.includes('onerror='));
        expect(row).toBeDefined();
        expect(row).toContain('\\| \\*\\*b\\*\\* \\`c\\` $\\{x\\}');
      }
    });

    test('a states folder without the named state is refused, naming the file, and writes nothing', async () => {
      mkdirSync(join(ws.dir, 'empty-states'));
      const r = await ras(['report', '--no-synth', '--states', 'empty-states', '--outdir', 'refused', '--quiet'], ws.dir);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('no deployed state under empty-states');
      expect(() => readFileSync(join(ws.dir, 'refused', 'index.en.html'))).toThrow();
    });
  });
});
