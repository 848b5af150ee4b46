/**
 * A PR comment stays readable with 1,000 tenants: tenants changed alike share a row; details past
 * the budget are left out with a note; the comment never exceeds GitHub's 65,536 characters.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFleet } from '../../bench/generate';
import { renderMarkdown } from '../../review/markdown';
import { readOutput } from '../../review/read-output';
import { reviewSides } from '../../review/review';
import type { Side } from '../../review/types';
import { ras } from '../helpers/cli';
import { REPO } from '../helpers/workspace';

const GITHUB_COMMENT_LIMIT = 65536;
let dir: string;
let base: Side;
let opsMoved: Side;
let relabelled: Side;

/**
 * Base: 1,000 synthetic tenants synthesized once by the built CLI (in-process synthesis of 1,000
 * stacks under jest takes minutes). Heads: that real output with one value changed in every stack,
 * exactly as re-synthesis with the changed fleet setting or labels would write it.
 */
function derive(label: string, from: string, to: string): Side {
  const outdir = join(dir, label);
  cpSync(join(dir, 'base'), outdir, { recursive: true });
  for (const id of readdirSync(join(outdir, 'stacks'))) {
    const file = join(outdir, 'stacks', id, 'cdk.tf.json');
    writeFileSync(file, readFileSync(file, 'utf8').split(from).join(to));
  }
  return { label, outdir, tenants: readOutput(outdir) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ras-review-scale-'));
  const paths = writeSyntheticFleet(join(dir, 'contracts'), 1000, join(REPO, 'fleet.yaml'));
  const r = await ras(['synth', '--fleet', paths.fleetFile, '--tenants', paths.tenantsDir, '--outdir', join(dir, 'base')], dir);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  base = { label: 'base', outdir: join(dir, 'base'), tenants: readOutput(join(dir, 'base')) };
  opsMoved = derive('ops', '10.255.0.0/24', '10.254.0.0/24');
  relabelled = derive('labels', '拠点 ', '支店 ');
}, 300000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a fleet change touching every active tenant: a few grouped rows, one line per kind of risk', () => {
  const review = reviewSides(base, opsMoved);
  expect(review.tenants).toHaveLength(900); // every 10th synthetic tenant is terminated: no gateway, no routes
  const md = renderMarkdown(review);
  expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  const rows = md.split('\n').filter((l) => /^\| `tenant-/.test(l));
  expect(rows.length).toBeLessThanOrEqual(4);
  expect(rows.some((r) => / and \d+ more \(\d+\)/.test(r))).toBe(true);
  expect(md).toContain('100 tenant(s) unchanged.');
  const riskLines = md.split('\n').filter((l) => l.startsWith('- ⚠️ **ingress-widened**'));
  expect(riskLines).toHaveLength(2);
  expect(md).not.toContain('left out to fit a comment');
});

test('1,000 tenants each changed differently: cut to the budget with a note, everything in the JSON', () => {
  const review = reviewSides(base, relabelled);
  expect(review.tenants).toHaveLength(1000);
  const md = renderMarkdown(review);
  expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  expect(md).toMatch(/\| … \d+ more row\(s\): see the JSON output/);
  expect(md).toMatch(/_Details of \d+ more group\(s\) of tenants are left out to fit a comment/);
  expect(md).toContain('**No risk found.** 1000 tenant(s) change.');
  expect(JSON.parse(JSON.stringify(review)).tenants).toHaveLength(1000);
});
