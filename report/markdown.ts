/** The same content as the HTML pages, as Markdown (for review in a repository or a ticket); every value escaped by `md`. */
import type { RuleOutcome } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import type { TenantReport } from './document';
import { md } from './escape';
import { say } from './ja';
import { CONTROL_STATUS, contractStatus, EVIDENCE_KIND, RESPONSIBILITY, RULE_STATUS, SEVERITY, T, VERDICT, type Lang } from './i18n';
import type { Provenance } from './provenance';

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(head.map(md)), row(head.map(() => '---')), ...rows.map((r) => row(r.map(md)))];
}

export function provenanceLines(lang: Lang, p: Provenance): string[] {
  const rows: string[][] = [
    [T.evidenceKind[lang], p.evidence.map((e) => `${EVIDENCE_KIND[e.kind][lang]} (${T.evidenceSource[lang]}: ${e.source})`).join('; ')],
    [T.generatedJst[lang], p.generatedAt],
    [T.codeCommit[lang], `${p.code.commit}${p.code.dirty ? ` (${T.uncommitted[lang]})` : ''}`],
    [T.toolVersion[lang], `${p.tool.name} ${p.tool.version}`],
    [T.contractsCommit[lang], p.contracts.commit ?? T.contractsNotCommitted[lang]],
    ...p.contracts.files.map((f) => [T.contractFile[lang], `${f.file} SHA-256 ${f.sha256}`]),
  ];
  return [`## ${md(T.provenance[lang])}`, '', ...table(['', ''], rows), ''];
}

export function suppressionLines(lang: Lang, list: readonly Suppression[]): string[] {
  return table([T.rule[lang], T.tenant[lang], T.resource[lang], T.reason[lang]], list.map((s) => [s.rule, s.tenant, s.resource, s.reason]));
}

function ruleLines(lang: Lang, r: RuleOutcome): string[] {
  const lines = [`- **${md(RULE_STATUS[r.status][lang])}** ${md(r.id)} (${md(T.severity[lang])}: ${md(SEVERITY[r.severity][lang])}): ${md(r.explanation[lang])}`];
  if (r.reason !== undefined) lines.push(`  - ${md(T.notApplicableBecause[lang])}: ${md(say(lang, r.reason))}`);
  for (const n of r.notes) lines.push(`  - ${md(T.notes[lang])}: ${md(say(lang, n))}`);
  const x = r.exception;
  if (x !== undefined) {
    lines.push(
      `  - ${md(T.exception[lang])}: ${md(T.exceptionCovers[lang])}: ${md(say(lang, x.covers))}; ${md(T.approvedBy[lang])}: "${md(x.approvedBy)}"; ${md(T.approvedOn[lang])}: ${md(x.approvedOn ?? T.notRecorded[lang])}; ${md(T.reason[lang])}: "${md(x.reason)}"; ${md(T.recordedIn[lang])}: ${md(x.source)}`,
    );
  }
  const sub: string[] = [];
  if (r.findings.length > 0) sub.push('', ...table([T.resource[lang], T.attribute[lang], T.found[lang], T.required[lang]], r.findings.map((f) => [f.resource, f.path, say(lang, f.found), say(lang, f.required)])));
  if (r.suppressed.length > 0) sub.push('', ...suppressionLines(lang, r.suppressed.map((s) => s.suppression)));
  if (r.evidence.length > 0) {
    const value = (e: (typeof r.evidence)[number]): string =>
      [say(lang, e.value), ...(e.resolved ?? []).map((ref) => `↳ ${ref.reference} ${T.pointsTo[lang]}: ${ref.resource === undefined ? T.notInStack[lang] : `${ref.resource} (${ref.attributes.map((a) => `${a.path} = ${a.value}`).join(', ')})`}`)].join(' ');
    sub.push('', ...table([T.resource[lang], T.attribute[lang], T.value[lang]], r.evidence.map((e) => [say(lang, e.resource), say(lang, e.path), value(e)])));
  }
  return [...lines, ...sub, ''];
}

function deployedLines(lang: Lang, r: TenantReport): string[] {
  const d = r.deployed;
  if (d === undefined) return [];
  const out = [`## ${md(T.deployedState[lang])}`, '', md(T.deployedIntro[lang]), '', `${md(T.evidenceSource[lang])}: ${md(d.source)} · ${md(T.deployedVerdict[lang])}: ${md(d.passed ? T.passed[lang] : T.failed[lang])}`, ''];
  if (d.differences.length === 0) out.push(md(T.noDrift[lang]), '');
  else
    out.push(
      `**${md(T.differences[lang])}**`,
      '',
      ...table(
        [T.resource[lang], T.attribute[lang], T.intendedValue[lang], T.deployedValue[lang]],
        d.differences.map((x) => [x.address, x.attribute === '' ? T.wholeResource[lang] : x.attribute, say(lang, x.intended), say(lang, x.deployed)]),
      ),
      '',
    );
  if (d.controlsDiffering.length > 0) out.push(`${md(T.controlsDiffering[lang])}: ${md(d.controlsDiffering.join(', '))}`, '');
  return out;
}

export function tenantMarkdown(r: TenantReport, lang: Lang): string {
  const out = [
    `# ${md(T.title[lang])}: ${md(r.tenant)}`,
    '',
    `${md(T.service[lang])}  `,
    `${md(T.tenant[lang])}: ${md(r.tenant)} · ${md(T.contractStatus[lang])}: ${md(contractStatus(r.contractStatus, lang))} · ${md(T.verdict[lang])}: ${md(VERDICT[r.verdict][lang])}`,
    '',
    ...provenanceLines(lang, r.provenance),
    `## ${md(T.scope[lang])}`,
    '',
    r.scope.inScope ? md(T.inScope[lang]) : `**${md(T.outOfScope[lang])}** ${md(T.reasons[lang])}: ${md(r.scope.reasons.map((x) => say(lang, x)).join('; '))}`,
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
  out.push(...deployedLines(lang, r));
  out.push(`## ${md(T.controls[lang])}`, '');
  for (const c of r.controls) {
    const exception = c.withSuppressions ? ` (${md(T.withException[lang])})` : '';
    const d = c.deployed;
    const deployed = d === undefined ? '' : `; ${md(T.deployedShort[lang])}: ${md(CONTROL_STATUS[d.status][lang])}${d.differs ? ` **⚠ ${md(T.differsFlag[lang])}**` : ''}`;
    out.push(`### ${md(c.id)} · ${md(c.section)} ${md(c.title[lang])}: ${md(CONTROL_STATUS[c.status][lang])}${exception}${deployed}`, '', `${md(T.owner[lang])}: ${md(RESPONSIBILITY[c.responsibility][lang])}`, '');
    if (c.evidenceKind === 'procedural') out.push(md(T.procedural[lang]), '', `> ${md(c.commitment[lang])}`, '');
    else out.push(`${md(T.commitment[lang])}: ${md(c.commitment[lang])}`, '', ...c.rules.flatMap((rule) => ruleLines(lang, rule)));
    if (d !== undefined && d.rules.length > 0) out.push(`**${md(T.deployedVerdict[lang])}**`, '', ...d.rules.flatMap((rule) => ruleLines(lang, rule)));
  }
  return `${out.join('\n')}\n`;
}
