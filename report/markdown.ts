/** The same content as the HTML pages, as Markdown (for review in a repository or a ticket); every value escaped by `md`. */
import type { RuleOutcome } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import type { FleetReport, TenantReport } from './document';
import { md } from './escape';
import { CONTROL_STATUS, RESPONSIBILITY, RULE_STATUS, T, type Lang } from './i18n';

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(head.map(md)), row(head.map(() => '---')), ...rows.map((r) => row(r.map(md)))];
}

function suppressionLines(lang: Lang, list: readonly Suppression[]): string[] {
  return table([T.rule[lang], T.tenant[lang], T.resource[lang], T.reason[lang]], list.map((s) => [s.rule, s.tenant, s.resource, s.reason]));
}

function ruleLines(lang: Lang, r: RuleOutcome): string[] {
  const lines = [`- **${md(RULE_STATUS[r.status][lang])}** ${md(r.id)} (${md(T.severity[lang])}: ${md(r.severity)}): ${md(r.explanation[lang])}`];
  if (r.reason !== undefined) lines.push(`  - ${md(T.notApplicableBecause[lang])}: ${md(r.reason)}`);
  for (const n of r.notes) lines.push(`  - ${md(T.notes[lang])}: ${md(n)}`);
  const sub: string[] = [];
  if (r.findings.length > 0) sub.push('', ...table([T.resource[lang], T.attribute[lang], T.found[lang], T.required[lang]], r.findings.map((f) => [f.resource, f.path, f.found, f.required])));
  if (r.suppressed.length > 0) sub.push('', ...suppressionLines(lang, r.suppressed.map((s) => s.suppression)));
  if (r.evidence.length > 0) sub.push('', ...table([T.resource[lang], T.attribute[lang], T.value[lang]], r.evidence.map((e) => [e.resource, e.path, e.value])));
  return [...lines, ...sub, ''];
}

export function tenantMarkdown(r: TenantReport, lang: Lang): string {
  const out = [
    `# ${md(T.title[lang])}: ${md(r.tenant)}`,
    '',
    `${md(T.service[lang])}  `,
    `${md(T.tenant[lang])}: ${md(r.tenant)} · ${md(T.contractStatus[lang])}: ${md(r.contractStatus)} · ${md(T.result[lang])}: ${md(r.passed ? T.passed[lang] : T.failed[lang])} · ${md(T.generated[lang])}: ${md(r.generatedAt)}`,
    '',
    `## ${md(T.scope[lang])}`,
    '',
    r.scope.inScope ? md(T.inScope[lang]) : `**${md(T.outOfScope[lang])}** ${md(T.reasons[lang])}: ${md(r.scope.reasons.join('; '))}`,
    '',
    `## ${md(T.responsibility[lang])}`,
    '',
    ...table([T.customer[lang], T.provider[lang]], [[r.responsibilitySplit.customer.map((x) => x[lang]).join(', '), r.responsibilitySplit.provider.map((x) => x[lang]).join(', ')]]),
    '',
    `## ${md(T.summary[lang])}`,
    '',
    ...table([T.status[lang], '#'], (Object.keys(r.summary) as (keyof typeof r.summary)[]).map((k) => [CONTROL_STATUS[k][lang], String(r.summary[k])])),
    '',
    `## ${md(T.suppressions[lang])}`,
    '',
    ...(r.suppressions.length === 0 ? [md(T.noSuppressions[lang])] : suppressionLines(lang, r.suppressions)),
    '',
  ];
  if (r.unusedSuppressions.length > 0) out.push(`### ${md(T.unused[lang])}`, '', ...suppressionLines(lang, r.unusedSuppressions), '');
  out.push(`## ${md(T.controls[lang])}`, '');
  for (const c of r.controls) {
    const exception = c.withSuppressions ? ` (${md(T.withException[lang])})` : '';
    out.push(`### ${md(c.id)} · ${md(c.section)} ${md(c.title[lang])}: ${md(CONTROL_STATUS[c.status][lang])}${exception}`, '', `${md(T.owner[lang])}: ${md(RESPONSIBILITY[c.responsibility][lang])}`, '');
    if (c.evidenceKind === 'procedural') out.push(md(T.procedural[lang]), '', `> ${md(c.commitment[lang])}`, '');
    else out.push(`${md(T.commitment[lang])}: ${md(c.commitment[lang])}`, '', ...c.rules.flatMap((rule) => ruleLines(lang, rule)));
  }
  return `${out.join('\n')}\n`;
}

export function fleetMarkdown(f: FleetReport, lang: Lang): string {
  const head = [T.control[lang], T.titleCol[lang], ...f.tenants.map((t) => `${t.tenant} (${t.contractStatus}; ${t.inScope ? T.inScopeShort[lang] : T.outOfScopeShort[lang]}; ${t.passed ? T.passed[lang] : T.failed[lang]})`)];
  const rows = f.controls.map((c) => [c.id, `${c.section} ${c.title[lang]}`, ...f.tenants.map((t) => CONTROL_STATUS[c.statuses[t.tenant]][lang])]);
  const out = [`# ${md(T.fleetTitle[lang])}`, '', `${md(T.generated[lang])}: ${md(f.generatedAt)}`, '', ...table(head, rows), '', `## ${md(T.suppressions[lang])}`, ''];
  out.push(...(f.suppressions.length === 0 ? [md(T.noSuppressionsFleet[lang])] : suppressionLines(lang, f.suppressions)), '');
  if (f.unusedSuppressions.length > 0) out.push(`### ${md(T.unused[lang])}`, '', ...suppressionLines(lang, f.unusedSuppressions), '');
  return `${out.join('\n')}\n`;
}
