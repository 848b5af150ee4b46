/** The fleet page as Markdown: the same overview and pages as the HTML (report/fleet-pages.ts). */
import type { ControlStatus } from '../policies/evaluate';
import type { FleetReport } from './document';
import { md } from './escape';
import { CONTROL_STATUS, contractStatus, T, VERDICT, type Lang } from './i18n';
import { say } from './ja';
import { provenanceLines, row, suppressionLines, table } from './markdown';
import { controlCounts, type FleetPage, fleetPageFile, fleetPages, pageCounts, pageProvenance, STATUSES } from './fleet-pages';

const VERDICTS = ['passed', 'failed', 'information_only'] as const;

/** The overview, as its lines (each with its newline). */
export function fleetIndexMarkdown(f: FleetReport, lang: Lang): string {
  const counts = controlCounts(f);
  const all = pageCounts(f);
  const deployed = counts.some((c) => c.deployedDiffers !== undefined);
  const drift = all.drift !== undefined;
  const inScope = all.verdicts.passed + all.verdicts.failed;
  const controlRows = f.controls.map((c, k) =>
    row([md(c.id), md(`${c.section} ${c.title[lang]}`), ...STATUSES.map((s) => String(counts[k].inScope[s])), ...(deployed ? [String(counts[k].deployedDiffers ?? 0)] : [])]),
  );
  const pageRows = fleetPages(f.tenants.length).map((p) => {
    const n = pageCounts(f, p);
    const range = p.end === p.start ? '' : md(`${f.tenants[p.start].tenant} – ${f.tenants[p.end - 1].tenant}`);
    return row([`[${md(`${T.page[lang]} ${p.index + 1}`)}](${fleetPageFile(p.index, lang, 'md')})`, range, String(p.end - p.start), ...VERDICTS.map((v) => String(n.verdicts[v])), ...(drift ? [String(n.drift ?? 0)] : [])]);
  });
  const out = [
    `# ${md(T.fleetTitle[lang])}`,
    '',
    ...provenanceLines(lang, f.provenance),
    `## ${md(T.fleetCounts[lang])}`,
    '',
    md(
      `${T.tenants[lang]}: ${f.tenants.length}; ${T.inScopeShort[lang]}: ${inScope} (${VERDICT.passed[lang]}: ${all.verdicts.passed}, ${VERDICT.failed[lang]}: ${all.verdicts.failed}); ${T.outOfScopeShort[lang]}: ${all.verdicts.information_only}${lang === 'ja' ? '。' : '. '}${T.notCounted[lang]}`,
    ),
    '',
    ...table([T.control[lang], T.titleCol[lang], ...STATUSES.map((s) => CONTROL_STATUS[s][lang]), ...(deployed ? [T.deployedDiffersCount[lang]] : [])], []),
    ...controlRows,
    '',
    `## ${md(T.fleetPages[lang])}`,
    '',
    ...table([T.page[lang], T.tenantRange[lang], T.tenants[lang], ...VERDICTS.map((v) => VERDICT[v][lang]), ...(drift ? [T.driftCount[lang]] : [])], []),
    ...pageRows,
    '',
    `## ${md(T.suppressions[lang])}`,
    '',
    ...(f.suppressions.length === 0 ? [md(T.noSuppressionsFleet[lang])] : suppressionLines(lang, f.suppressions)),
    '',
  ];
  if (f.unusedSuppressions.length > 0) out.push(`### ${md(T.unused[lang])}`, '', ...suppressionLines(lang, f.unusedSuppressions), '');
  return out.map((line) => `${line}\n`).join('');
}

/** One page: the controls x tenants grid of its tenants. */
export function fleetPageMarkdown(f: FleetReport, p: FleetPage, lang: Lang): string {
  const tenants = f.tenants.slice(p.start, p.end);
  const head = [
    T.control[lang],
    T.titleCol[lang],
    ...tenants.map(
      (t) =>
        `${t.tenant} (${contractStatus(t.contractStatus, lang)}; ${t.inScope ? T.inScopeShort[lang] : `${T.outOfScopeShort[lang]}: ${t.scopeReasons.map((x) => say(lang, x)).join('; ')}`}; ${VERDICT[t.verdict][lang]}${
          t.deployed === undefined ? '' : `; ${T.driftCount[lang]}: ${t.deployed.differences}, ${T.deployedVerdict[lang]}: ${t.deployed.passed ? T.passed[lang] : T.failed[lang]}`
        })`,
    ),
  ];
  // An out-of-scope tenant's statuses are marked as information only, not shown as plain results.
  const cell = (t: FleetReport['tenants'][number], s: ControlStatus, d: ControlStatus | undefined): string => {
    const deployed = d === undefined || d === s ? '' : `; ${T.deployedShort[lang]}: ${CONTROL_STATUS[d][lang]} ⚠`;
    return md(`${CONTROL_STATUS[s][lang]}${t.inScope ? '' : ` (${T.informationOnly[lang]})`}${deployed}`);
  };
  const rows = f.controls.map((c, k) =>
    row([md(c.id), md(`${c.section} ${c.title[lang]}`), ...tenants.map((t, i) => cell(t, f.grid[k][p.start + i], f.deployedGrid?.[k][p.start + i]))]),
  );
  const other: Lang = lang === 'en' ? 'ja' : 'en';
  const nav = [
    `[${md(T.otherLanguage[lang])}](${fleetPageFile(p.index, other, 'md')})`,
    `[${md(T.fleetTitle[lang])}](fleet.${lang}.md)`,
    ...(p.index > 0 ? [`[${md(T.previousPage[lang])}](${fleetPageFile(p.index - 1, lang, 'md')})`] : []),
    ...(p.index + 1 < p.count ? [`[${md(T.nextPage[lang])}](${fleetPageFile(p.index + 1, lang, 'md')})`] : []),
  ].join(' · ');
  const out = [`# ${md(`${T.fleetTitle[lang]}: ${T.page[lang]} ${p.index + 1} / ${p.count}`)}`, '', nav, '', ...provenanceLines(lang, pageProvenance(f, p)), ...table(head, []), ...rows];
  return out.map((line) => `${line}\n`).join('');
}
