/**
 * The review as Markdown for a pull-request comment: verdict, a table of changed tenants with
 * counts and flags, the risks, then details folded per tenant (or per group of tenants changed
 * alike). Stays under GitHub's 65,536-character comment limit: details past the budget are left
 * out with a note pointing to the JSON.
 */
import { show } from './flatten';
import { blankTenant, groupRisks, groupTenants, type TenantGroup } from './groups';
import { ACTIONS, type Review } from './types';

/** GitHub refuses comments over 65,536 characters; keep room for the footer. */
export const COMMENT_BUDGET = 60000;
const ROWS_PER_GROUP = 60;
/** Table and risk list share the comment with the details; each gets a fixed slice. */
const TABLE_BUDGET = 30000;
const RISKS_BUDGET = 15000;
const NAMES_SHOWN = 5;

export function renderMarkdown(review: Review, budget = COMMENT_BUDGET): string {
  const head = [`## Plan review: \`${cell(review.base)}\` → \`${cell(review.head)}\``, ''];
  if (review.tenants.length === 0) {
    return [...head, `**No changes.** ${review.unchanged.length} tenant(s) unchanged.`, '', rulesNote(review), ''].join('\n');
  }
  const riskLines = groupRisks(review);
  const riskyTenants = review.tenants.filter((t) => t.risks.length > 0).length;
  head.push(
    review.risky
      ? `**⚠️ Risk found:** ${riskLines.length} risk(s) in ${riskyTenants} tenant(s). ${review.tenants.length} tenant(s) change.`
      : `**No risk found.** ${review.tenants.length} tenant(s) change.`,
    '',
  );
  const groups = groupTenants(review);
  const table = [
    '| tenants | add | update | replace | destroy | moved | flags | controls touched |',
    '|---|--:|--:|--:|--:|--:|---|---|',
    ...tableRows(groups),
    '',
    `${review.unchanged.length} tenant(s) unchanged.`,
    '',
  ];
  const risks = riskLines.length === 0 ? [] : ['### Risks', '', ...fit(riskLines.map((l) => riskLine(l.tenants, l.risk)), RISKS_BUDGET, (n) => `- … and ${n} more risk line(s): see the JSON output`), ''];
  const out = [...head, ...table, ...risks, rulesNote(review), '', '### Details', ''];
  let size = out.join('\n').length;
  let omitted = 0;
  for (const g of groups) {
    const block = details(g);
    if (size + block.length > budget) {
      omitted += 1;
      continue;
    }
    out.push(block);
    size += block.length + 1;
  }
  if (omitted > 0) out.push(`_Details of ${omitted} more group(s) of tenants are left out to fit a comment; the JSON output (\`--format json\` / \`--json FILE\`) has them all._`, '');
  return out.join('\n');
}

/** The first lines that fit in `budget` characters, then one line saying how many were left out. */
function fit(lines: readonly string[], budget: number, more: (n: number) => string): string[] {
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of lines.entries()) {
    if (size + line.length + 1 > budget) return [...out, more(lines.length - i)];
    out.push(line);
    size += line.length + 1;
  }
  return out;
}

function tableRows(groups: readonly TenantGroup[]): string[] {
  const rows = groups.map((g) => {
    const s = g.sample;
    const flags = [...new Set(s.risks.map((r) => r.code))].map((c) => `⚠️ ${c}`);
    if (s.stack !== 'changed') flags.unshift(`stack ${s.stack}`);
    if (s.source === 'terraform-plan') flags.push('from terraform plan');
    return `| ${names(g.tenants)} | ${ACTIONS.map((a) => s.counts[a]).join(' | ')} | ${flags.join('<br>') || '—'} | ${s.controls.join(', ')} |`;
  });
  return fit(rows, TABLE_BUDGET, (n) => `| … ${n} more row(s): see the JSON output | | | | | | | |`);
}

function names(tenants: readonly string[]): string {
  const shown = tenants.slice(0, NAMES_SHOWN).map((t) => `\`${t}\``).join(', ');
  return tenants.length > NAMES_SHOWN ? `${shown} and ${tenants.length - NAMES_SHOWN} more (${tenants.length})` : shown;
}

function riskLine(tenants: readonly string[], r: Review['tenants'][number]['risks'][number]): string {
  const many = tenants.length > 1;
  const t = (s: string) => (many ? blankTenant(s, r.tenant) : s);
  const where = [r.address !== undefined ? `\`${cell(t(r.address))}\`` : '', r.attribute !== undefined ? `\`${cell(t(r.attribute))}\`` : ''].filter(Boolean).join(' · ');
  // Before → after where both exist; a value the message already states is not repeated.
  const values =
    r.before !== undefined ? ` (${cell(t(show(r.before, 60)))} → ${cell(t(show(r.after, 60)))})` : r.after !== undefined && !r.message.includes(String(r.after)) ? ` (now ${cell(t(show(r.after, 60)))})` : '';
  return `- ⚠️ **${r.code}** ${names(tenants)}: ${where}: ${cell(t(r.message))}${values} — controls ${r.controls.join(', ') || '—'}`;
}

function details(g: TenantGroup): string {
  const s = g.sample;
  const many = g.tenants.length > 1;
  const t = (text: string) => (many ? blankTenant(text, s.tenant) : text);
  // Blank before shortening, so a long hash is recognised whole.
  const val = (v: unknown) => cell(show(many && typeof v === 'string' ? blankTenant(v, s.tenant) : v, 60));
  const counts = ACTIONS.filter((a) => s.counts[a] > 0).map((a) => `${s.counts[a]} ${a}`);
  const title = many ? `${g.tenants.length} tenants changed alike (${g.tenants.slice(0, 3).join(', ')}${g.tenants.length > 3 ? ', …' : ''})` : s.tenant;
  const rows: string[] = [];
  for (const c of s.changes) {
    const from =
      c.movedFrom !== undefined
        ? ` (from \`${cell(t(c.movedFrom))}\`${c.movedWithoutBlock ? ', no moved block' : ''})`
        : c.movedTo !== undefined
          ? ` (renamed to \`${cell(t(c.movedTo))}\`, no moved block)`
          : '';
    const why = c.reason !== undefined ? ` — ${cell(t(c.reason))}` : '';
    if (c.attributes.length === 0) rows.push(`| ${c.action} | \`${cell(t(c.address))}\`${from} | | | ${why} |`);
    for (const a of c.attributes) {
      rows.push(`| ${c.action} | \`${cell(t(c.address))}\`${from} | \`${cell(t(a.path))}\`${a.forcesReplacement ? ' (forces replacement)' : ''} | ${val(a.before)} | ${val(a.after)}${why} |`);
    }
  }
  for (const v of s.gatewayVars) rows.push(`| update | gateway variables | \`${cell(v.path)}\` | ${val(v.before)} | ${val(v.after)} |`);
  for (const p of s.portal) rows.push(`| update | portal settings | \`${cell(p.path)}\` | ${val(p.before)} | ${val(p.after)} |`);
  const shown = rows.slice(0, ROWS_PER_GROUP);
  const more = rows.length > ROWS_PER_GROUP ? [`| … | ${rows.length - ROWS_PER_GROUP} more row(s) in the JSON output | | | |`] : [];
  const impact = s.serviceImpact.length > 0 ? `Service impact (change notice, 12.1.2): ${s.serviceImpact.join(', ')}.` : 'No service impact: no change notice.';
  return [
    `<details><summary><b>${cell(title)}</b>: ${counts.join(', ') || 'settings only'}${s.risks.length > 0 ? ' ⚠️' : ''}</summary>`,
    '',
    ...(many ? [ `Tenants: ${g.tenants.slice(0, 50).join(', ')}${g.tenants.length > 50 ? ` and ${g.tenants.length - 50} more (all in the JSON output)` : ''}`, ''] : []),
    '| action | resource | attribute | before | after |',
    '|---|---|---|---|---|',
    ...shown,
    ...more,
    '',
    impact,
    '',
    '</details>',
    '',
  ].join('\n');
}

function rulesNote(review: Review): string {
  if (!review.rulesEvaluated) return '_Compliance rules were not run (`--no-rules`)._';
  const fresh = review.tenants.reduce((n, t) => n + t.risks.filter((r) => r.code === 'rule-newly-failing').length, 0);
  return `_Compliance rules (policies/) were run on both sides: ${fresh === 0 ? 'none newly failing' : `${fresh} finding(s) newly failing`}._`;
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
