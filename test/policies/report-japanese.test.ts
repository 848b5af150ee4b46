/**
 * The Japanese report is Japanese: Chromium renders each Japanese page (the examples' and a
 * broken branch's, SSH opened to the internet) and the test reads what a reader sees, every
 * table cell and code value included. Quoted values (contract text, suppression reasons) are
 * left out; identifiers, addresses and algorithm names are single tokens, not sentences. Any
 * run of three or more plain English words left is a sentence nobody translated: a failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { evaluateFleet } from '../../policies/evaluate';
import { readFleetViews } from '../../policies/inputs/read';
import { collectProvenance } from '../../report/provenance';
import { writeReports } from '../../report/write';
import { synthTenants } from '../../stacks/synth';
import { launchChromium, visibleText as pageText } from '../helpers/chromium';
import { englishSentences } from '../helpers/english';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
let reports: string;
let context: BrowserContext;
let close: () => Promise<void> = async () => undefined;

function openSshToInternet(outdir: string): void {
  const file = join(outdir, 'stacks', 'sakura-trading', 'cdk.tf.json');
  const tf = JSON.parse(readFileSync(file, 'utf8'));
  tf.resource.aws_vpc_security_group_ingress_rule['Gateway_Ingress-internet-ssh_0000'] = { security_group_id: 'x', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 22, to_port: 22 };
  writeFileSync(file, JSON.stringify(tf));
}

beforeAll(async () => {
  ws = new Workspace();
  const outdir = join(ws.dir, 'cdktf.out');
  synthTenants({ paths: ws.paths, outdir });
  openSshToInternet(outdir);
  reports = join(ws.dir, 'reports');
  const suppression = { rule: 'GatewayRequiresImdsV2', tenant: 'minato-design', resource: 'aws_instance.Old', reason: 'Kept for the audit trail of the old gateway.' };
  writeReports(evaluateFleet(readFleetViews(outdir), [suppression]), reports, collectProvenance(ws.paths));
  ({ context, close } = await launchChromium());
});

afterAll(async () => {
  await close();
  ws?.remove();
});

function visibleText(file: string): Promise<string> {
  return pageText(context, file);
}

test('the detector finds an English sentence and lets identifiers, addresses and algorithm names through', () => {
  expect(englishSentences('解約済みテナント：the gateway no longer exists')).toEqual(['gateway no longer exists']);
  expect(englishSentences('aws_vpc.Network_Vpc_1234\ttcp/22\t0.0.0.0/0 → tcp/22\taes256-sha256-modp2048\tIIJ GIO リモートアクセス\tISO/IEC 27017')).toEqual([]);
  // A value listing names is not a sentence; a sentence with commas in it still is.
  expect(englishSentences('logs_operator_sources\tsshd, sudo, su, systemd-logind, useradd, usermod, chage')).toEqual([]);
  expect(englishSentences('ゲートウェイ：the gateway, network and attachment are destroyed')).toEqual(['gateway network and attachment are destroyed']);
});

test.each([
  ['sakura-trading/report.ja.html'],
  ['kitakaze-logistics/report.ja.html'],
  ['minato-design/report.ja.html'],
  ['index.ja.html'],
  ['fleet-page-0001.ja.html'],
])('%s has no English sentence outside quoted values', async (file) => {
  const text = await visibleText(join(reports, file));
  expect(text.length).toBeGreaterThan(1000);
  expect(englishSentences(text)).toEqual([]);
  // Times are Japan Standard Time.
  expect(text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00/);
});

test('the broken branch\'s findings are in Japanese too', async () => {
  const text = await visibleText(join(reports, 'sakura-trading', 'report.ja.html'));
  expect(text).toContain('不適合');
  expect(text).toContain('ssh (tcp/22) は制限されたネットワークからのみ');
});

test('the same page in English does have English sentences (the walk reads the page)', async () => {
  expect(englishSentences(await visibleText(join(reports, 'sakura-trading', 'report.en.html'))).length).toBeGreaterThan(10);
});
